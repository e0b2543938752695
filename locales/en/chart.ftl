## The digest chart for a phone (issue 14).
dg-chart-title-days = Meetings per day
dg-chart-day = Day
dg-chart-orgs = Meetings per kindergarten
