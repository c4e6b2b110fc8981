# Regenerate tests/data/motifs_networkx.json (reference only; networkx is not a dependency):
#   python3 -m venv /tmp/venv-motifs && /tmp/venv-motifs/bin/pip install networkx
#   /tmp/venv-motifs/bin/python tests/data/motifs_networkx.py > tests/data/motifs_networkx.json
import json, random
import networkx as nx

out = []
for seed, (n, p) in enumerate([(12, 0.3), (30, 0.1), (30, 0.25), (50, 0.05), (20, 0.6)]):
    rnd = random.Random(seed)
    edges = [(i, j) for i in range(n) for j in range(n) if i != j and rnd.random() < p]
    g = nx.DiGraph()
    g.add_nodes_from(range(n))
    g.add_edges_from(edges)
    census = {k: v for k, v in nx.triadic_census(g).items()}
    out.append({"n": n, "edges": edges, "triadic_census": census})
print(json.dumps(out))
