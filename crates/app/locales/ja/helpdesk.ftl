# helpdesk (ja)
