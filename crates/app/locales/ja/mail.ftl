# mail (ja)
