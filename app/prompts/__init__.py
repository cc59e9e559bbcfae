"""Who is asked what, and when: schedules, local-time slots, quiet hours, planning, cancellation."""
