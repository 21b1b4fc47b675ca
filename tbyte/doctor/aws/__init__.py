"""`invoke doctor aws` (B2): the environment's AWS resources, read with Describe/List/Get calls only."""
