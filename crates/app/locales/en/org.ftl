# org (en)
