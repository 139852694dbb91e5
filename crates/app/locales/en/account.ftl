# account (en)
