"""Prices (收费标准), extra charges (增项), bills and technicians' payouts.

- service.py: price lists per client and appliance category (the platform default ships in
  data/default_prices.json and is loaded by `load_default_prices`), versioned; which one applies to a job.
- charges.py: a job's extra charges and their states; closing them ("no more extras").
- billing.py: the bill (base labour + confirmed extras, who pays each line), frozen at completion,
  and the payout by the provider's rule (the numbers are documented there).
"""
