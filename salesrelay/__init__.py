"""SalesRelay: the CRM, motivation engine and analytics of a two-department B2B sales team."""
