# org (ja)
