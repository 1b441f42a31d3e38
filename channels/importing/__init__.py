"""`omsbot import orders`: files from other systems, read and placed through the bus."""
