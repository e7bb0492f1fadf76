"""Validation-only feature experiments for the sentence classifier (docs/policy.md lists results).

Loads CAPP-130 TRAIN and VALIDATION policies only (the TEST split, rw_N with N % 5 == 0, is
skipped at load), builds per-sentence feature groups (hashed as in features.py) and caches them:
  s3 sentence 1-3-grams (shipped)   s4 sentence 4-grams      h2 heading 1-2-grams (shipped)
  h3 heading 3-grams                o2 parent-heading 1-2-grams   p2 previous sentence (shipped)
  n2 next sentence 1-2-grams
Usage: /usr/bin/python3 common.py s3,h2,p2 8     (groups, C list; LR trained on TRAIN, thresholds
and macro F1 on VALIDATION). models.py (svm | nb), stacking.py, buckets.py, position.py try the
other ideas the same way.
"""
import sys, os, time, pickle
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import numpy as np, scipy.sparse as sp
import features as F
from sklearn.linear_model import LogisticRegression
from train import quantize, qscores, best_thresholds, macro

def level(t):
    # python mirror of HeadingLevel
    t=t.strip(); n=len(t)
    if not F.is_heading(t): return 0
    if t[0]=="第" or t[0] in F.CN_NUM or (t[0] in "【[" ): return 1
    if t[0] in "（(": return 2
    j=0; dots=0
    while j<n and ("0"<=t[j]<="9" or t[j]=="."):
        dots += t[j]=="."; j+=1
    return 3 if dots>=2 or (dots==1 and t[j-1]!=".") else 2

def raw():
    d = os.path.join(F.corpus_dir(), "Annotation", "Annotation")
    import glob, json
    res=[]
    for path in glob.glob(os.path.join(d,"rw_*.jsonl")):
        n=int(os.path.basename(path)[3:-6]); ss=[]
        if F.split_of(n)=="test": continue  # never read the test split here
        for line in open(path, encoding="utf-8-sig"):
            line=line.strip()
            if not line: continue
            o=json.loads(line)
            ss.append((o["text"], sorted({F.ZH_TO_ID[l] for l in o["label"] if l in F.ZH_TO_ID})))
        res.append((n,ss))
    res.sort(); return res

def ng(cps, ns, nmin, nmax):
    out=set()
    L=len(cps)
    for n in range(nmin,nmax+1):
        for i in range(L-n+1):
            out.add(F._fnv([ns,n]+cps[i:i+n]) % F.BUCKETS)
    return out

cache=os.environ.get("EXP_CACHE", "/tmp/capp130_exp_feats.pkl")
if os.path.exists(cache):
    pols, FE = pickle.load(open(cache,"rb"))
else:
    pols=raw(); FE={}
    t0=time.time()
    for n,ss in pols:
        heading=""; prev=""; stack=[]; outer=""; nxt=None
        for i,(t,l) in enumerate(ss):
            nt=F.normalize(t)
            key=(n,i)
            e={}
            e["s3"]=ng([2]+nt+[3],0,1,3)
            e["s4"]=ng([2]+nt+[3],0,4,4)
            e["h2"]=ng(F.normalize(heading),1,1,2) if heading else set()
            e["h3"]=ng(F.normalize(heading),1,3,3) if heading else set()
            e["o2"]=ng(F.normalize(outer),3,1,2) if outer else set()
            e["p2"]=ng(F.normalize(prev),2,1,2) if prev else set()
            e["n2"]=ng(F.normalize(ss[i+1][0]),4,1,2) if i+1<len(ss) else set()
            FE[key]=e
            L=level(t)
            if L>0:
                while stack and stack[-1][0]>=L: stack.pop()
                outer = stack[-1][1] if stack else ""
                stack.append((L,t))
                heading=t
            prev=t
    print("feats %.1f"%(time.time()-t0))
    pickle.dump((pols,FE),open(cache,"wb"))

def build(split, keys, nb=None):
    """Feature matrix of the split; with nb, buckets are folded into 2^nb (smaller tables)."""
    width = F.BUCKETS if nb is None else 1 << nb
    rows=[];cols=[];Y=[]
    r=0
    for n,ss in pols:
        if F.split_of(n) not in split: continue
        for i,(t,l) in enumerate(ss):
            e=FE[(n,i)]; s=set()
            for k in keys: s|=e[k]
            s={x & (width-1) for x in s}
            cols.extend(s); rows.extend([r]*len(s)); y=np.zeros(13,np.int8); y[l]=1; Y.append(y); r+=1
    B=sp.csr_matrix((np.ones(len(cols)),(rows,cols)),shape=(r,width))
    nnz=np.diff(B.indptr); inv=1/np.sqrt(np.maximum(nnz,1))
    X=sp.diags(inv)@B
    return X.tocsr(), B.astype(np.int64).tocsr(), inv, np.array(Y)

if __name__=="__main__":
    keys=sys.argv[1].split(",")
    Cs=[float(x) for x in sys.argv[2].split(",")]
    Xtr,_,_,Ytr=build({"train"},keys); Xva,Bva,inva,Yva=build({"val"},keys)
    for C in Cs:
        ms=[LogisticRegression(C=C,solver="liblinear",max_iter=200).fit(Xtr,Ytr[:,c]) for c in range(13)]
        q,b,s=quantize(ms); S=qscores(q,b,s,Bva,inva); thr=best_thresholds(S,Yva); m,fs=macro(S,Yva,thr)
        print(keys,C,"val %.4f"%m," ".join("%.3f"%f for f in fs),flush=True)
