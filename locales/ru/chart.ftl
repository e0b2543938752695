## The digest chart for a phone (issue 14).
dg-chart-title-days = Встречи по дням
dg-chart-day = День
dg-chart-orgs = Встречи по детским садам
