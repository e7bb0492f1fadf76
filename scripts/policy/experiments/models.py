import os
import sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import *
from sklearn.svm import LinearSVC
import numpy as np
class Folded:
    def __init__(s,coef,b): s.coef_=coef.reshape(1,-1); s.intercept_=np.array([b])
keys=sys.argv[1].split(","); kind=sys.argv[2]; Cs=[float(x) for x in sys.argv[3].split(",")]
Xtr,Btr,_,Ytr=build({"train"},keys); Xva,Bva,inva,Yva=build({"val"},keys)
Bb=(Btr>0).astype(np.float64)
for C in Cs:
    ms=[]
    for c in range(13):
        y=Ytr[:,c]
        if kind=="svm":
            m=LinearSVC(C=C,loss="squared_hinge",max_iter=2000).fit(Xtr,y); ms.append(m)
        elif kind.startswith("nb"):
            a=1.0
            p=a+np.asarray(Bb[y==1].sum(0)).ravel(); q=a+np.asarray(Bb[y==0].sum(0)).ravel()
            r=np.log((p/p.sum())/(q/q.sum()))
            beta=float(kind[2:] or 1)  # interpolation 
            r=np.abs(r)**beta*np.sign(r) if beta!=1 else r
            Xr=Xtr@sp.diags(np.abs(r)) if kind.startswith("nbabs") else Xtr@sp.diags(r)
            m=LogisticRegression(C=C,solver="liblinear",max_iter=200).fit(Xr,y)
            ms.append(Folded(m.coef_[0]*r,m.intercept_[0]))
    q,b,s=quantize(ms); S=qscores(q,b,s,Bva,inva); thr=best_thresholds(S,Yva); m,fs=macro(S,Yva,thr)
    print(keys,kind,C,"val %.4f"%m," ".join("%.3f"%f for f in fs),flush=True)
