# apply (ja-easy)
