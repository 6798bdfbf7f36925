"""The virtual reception (contract §7): appeals with a number, a secret, a status, deadlines and e-mails.

Imported only by the `appeals` entry point, the staff commands and the admin function's appeals routes.
"""
