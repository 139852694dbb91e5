# public (ja)
