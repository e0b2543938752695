outbox-failed-curator = A message for { $who } could not be delivered: Telegram refused it ({ $reason }). Please contact your colleague another way.
outbox-failed-someone = a participant
