# mail (ja-easy)
