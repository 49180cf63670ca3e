"""Training pipeline for proofpath's decision models (synthetic generators, real demand data, ONNX export, cards)."""
