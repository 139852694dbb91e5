# public (en)
