"""避難行動要支援者: residents who need help to evacuate, registered with their consent by the
welfare department (福祉課) or by themselves, and their supporters (支援者), who are told first
when an alert covers the person's address and say how the person is doing."""
