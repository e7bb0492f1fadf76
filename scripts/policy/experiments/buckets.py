import os
import sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common
from common import *
nb=int(sys.argv[1])
def build2(split, keys):
    return build(split, keys, nb)
keys=["s3","h2","p2"]
Xtr,_,_,Ytr=build2({"train"},keys); Xva,Bva,inva,Yva=build2({"val"},keys)
for C in [8]:
    ms=[LogisticRegression(C=C,solver="liblinear",max_iter=200).fit(Xtr,Ytr[:,c]) for c in range(13)]
    q,b,s=quantize(ms); S=qscores(q,b,s,Bva,inva); thr=best_thresholds(S,Yva); m,fs=macro(S,Yva,thr)
    print(nb,C,"val %.4f"%m," ".join("%.3f"%f for f in fs),flush=True)
