"""Frontline: a role-play simulator for customer-service training."""
