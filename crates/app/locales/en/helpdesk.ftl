# helpdesk (en)
