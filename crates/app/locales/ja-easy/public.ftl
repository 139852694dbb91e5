# public (ja-easy)
