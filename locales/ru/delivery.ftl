outbox-failed-curator = Сообщение для { $who } не удалось доставить: Telegram отклонил его ({ $reason }). Пожалуйста, свяжитесь с коллегой другим способом.
outbox-failed-someone = участника программы
