outbox-failed-curator = A message for { $who } could not be delivered: Telegram refused it ({ $reason }). Please contact your colleague another way.
outbox-failed-someone = a participant
error-database-wait = Sorry, your message cannot be handled right now. We will retry by ourselves as soon as we can; there is nothing you need to do.
