# account (ja)
