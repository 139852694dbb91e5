# account (ja-easy)
