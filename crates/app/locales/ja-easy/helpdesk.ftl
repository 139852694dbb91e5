# helpdesk (ja-easy)
