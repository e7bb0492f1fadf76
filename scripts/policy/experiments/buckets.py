import os
import sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common
from common import *
nb=int(sys.argv[1])
def build2(split, keys):
    rows=[];cols=[];Y=[]; r=0
    for n,ss in pols:
        if F.split_of(n) not in split: continue
        for i,(t,l) in enumerate(ss):
            e=FE[(n,i)]; s=set()
            for k in keys: s|=e[k]
            s={x & ((1<<nb)-1) for x in s}
            cols.extend(s); rows.extend([r]*len(s)); y=np.zeros(13,np.int8); y[l]=1; Y.append(y); r+=1
    B=sp.csr_matrix((np.ones(len(cols)),(rows,cols)),shape=(r,1<<nb))
    nnz=np.diff(B.indptr); inv=1/np.sqrt(np.maximum(nnz,1))
    return (sp.diags(inv)@B).tocsr(), B.astype(np.int64).tocsr(), inv, np.array(Y)
keys=["s3","h2","p2"]
Xtr,_,_,Ytr=build2({"train"},keys); Xva,Bva,inva,Yva=build2({"val"},keys)
for C in [8]:
    ms=[LogisticRegression(C=C,solver="liblinear",max_iter=200).fit(Xtr,Ytr[:,c]) for c in range(13)]
    q,b,s=quantize(ms); S=qscores(q,b,s,Bva,inva); thr=best_thresholds(S,Yva); m,fs=macro(S,Yva,thr)
    print(nb,C,"val %.4f"%m," ".join("%.3f"%f for f in fs),flush=True)
