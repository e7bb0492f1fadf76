import os
import sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import *
nbins=int(sys.argv[1])
for n,ss in pols:
    L=len(ss)
    for i in range(L):
        FE[(n,i)]["pos"]={F._fnv([5,1,(nbins*i)//L]) % F.BUCKETS}
keys=["s3","h2","p2","pos"]
Xtr,_,_,Ytr=build({"train"},keys); Xva,Bva,inva,Yva=build({"val"},keys)
for C in [8]:
    ms=[LogisticRegression(C=C,solver="liblinear",max_iter=200).fit(Xtr,Ytr[:,c]) for c in range(13)]
    q,b,s=quantize(ms); S=qscores(q,b,s,Bva,inva); thr=best_thresholds(S,Yva); m,fs=macro(S,Yva,thr)
    print(keys,nbins,C,"val %.4f"%m," ".join("%.3f"%f for f in fs),flush=True)
