# mail (en)
