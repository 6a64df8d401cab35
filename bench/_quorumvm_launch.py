# Launches one QuorumVM service for bench/mpc.ts (the baseline measured in the same run), from a
# checkout of QuorumVM's own source (QK_QUORUMVM_DIR; MIT, github.com/saezbaldo/quorumvm) — none
# of its code is copied here. Two bridges of our own: QuorumVM's custodian URLs are module
# constants naming Docker hosts (custodian-0:9100 …), so they are replaced in place by the
# loopback URLs given before its apps are imported; and Debian's pydantic is 1.10 while QuorumVM
# calls the v2 name model_dump (its package builder; the services themselves only declare models),
# so model_dump is aliased to v1's dict when absent.
# Usage: python3 _quorumvm_launch.py coordinator PORT URL,URL,URL
#        python3 _quorumvm_launch.py custodian PORT URL,URL,URL INDEX
import os
import sys

sys.path.insert(0, os.environ["QK_QUORUMVM_DIR"])
role, port, urls = sys.argv[1], int(sys.argv[2]), sys.argv[3].split(",")

import pydantic  # noqa: E402

if not hasattr(pydantic.BaseModel, "model_dump"):
    pydantic.BaseModel.model_dump = pydantic.BaseModel.dict

import quorumvm.config as config  # noqa: E402

config.CUSTODIAN_URLS[:] = urls

import uvicorn  # noqa: E402

if role == "coordinator":
    from quorumvm.coordinator.app import app
else:
    from quorumvm.custodian.app import CustodianState, create_app

    app = create_app(CustodianState(int(sys.argv[4])))

print(f"http://127.0.0.1:{port}", flush=True)
uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
