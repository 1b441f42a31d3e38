"""Third-party logistics: signed fulfilment requests out, signed confirmations in."""
