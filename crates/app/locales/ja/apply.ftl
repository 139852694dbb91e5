# apply (ja)
