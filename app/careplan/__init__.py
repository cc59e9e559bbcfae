"""The living care plan: hypotheses, SMART goals, interventions, escalation, crisis plan, versions."""
