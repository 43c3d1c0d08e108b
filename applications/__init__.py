"""One-stop applications (電子申請): a catalogue of procedures and life events, forms as
data (JSON Schema 2020-12 + a UI document), submissions that file one case per procedure,
fees through payments, counter visits on booking's slots, and the clerks' queue."""
