"""The ops console's read models: the day's board (map and timeline), the at-risk queue, the queues a
dispatcher works through, KPIs and expiring certificates. Writes go through the owning domains."""
