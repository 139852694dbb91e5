# apply (en)
