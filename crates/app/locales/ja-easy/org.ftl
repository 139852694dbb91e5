# org (ja-easy)
