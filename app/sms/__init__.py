"""SMS transport: gateway (the only twilio import), outbox, dispatch, webhooks, conversations, links."""
