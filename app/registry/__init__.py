"""The registry (issue 16): one sortable, filterable list of the clinic's active patients for
the care coordinator (and of their care teams' patients for clinicians), with its CSV download,
and the agenda rules that feed case conferences. Read-side only: no feature imports it."""
