"""The statistical name finder: a small spaCy model (tok2vec + BIO tagger over characters) that
proposes PERSON and ORG spans, trained from the project's own annotated texts.

`chars` is the model's tokenizer, `tags` turns spans into per-character tags and back, `data`
builds the training DocBins from truth files, `train` runs spaCy's training, `model` loads the
packaged model and predicts, `component` adds its proposals to the rule pipeline's candidates.
"""
