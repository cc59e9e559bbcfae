"""Patient-reported experience measures (PREMs): CollaboRATE after a completed follow-up, by web
or SMS link; reported only in aggregate, never feeding clinical alerts (docs/experience.md)."""
