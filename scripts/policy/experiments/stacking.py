import os
import sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import *
from sklearn.svm import LinearSVC
keys="s3,h2,p2".split(",")
def fitS(X,Y,C=1.0):
    return [LinearSVC(C=C,max_iter=2000).fit(X,Y[:,c]) for c in range(13)]
def dec(ms,X): return np.stack([m.decision_function(X) for m in ms],1)
trp=[n for n,_ in pols if F.split_of(n)=="train"]
# policy index per sentence
def rowsof(split):
    r=[]
    for n,ss in pols:
        if F.split_of(n) in split:
            r += [(n,i,len(ss)) for i in range(len(ss))]
    return r
Rtr=rowsof({"train"}); Rva=rowsof({"val"})
Xtr,_,_,Ytr=build({"train"},keys); Xva,_,_,Yva=build({"val"},keys)
pol=np.array([n for n,_,_ in Rtr])
oof=np.zeros((len(Rtr),13))
for k in range(4):
    te=(pol//5)%4==k
    ms=fitS(Xtr[~te],Ytr[~te]); oof[te]=dec(ms,Xtr[te])
Sva=dec(fitS(Xtr,Ytr),Xva)
def ctx(S,R):
    prev=np.vstack([np.zeros((1,13)),S[:-1]]); nxt=np.vstack([S[1:],np.zeros((1,13))])
    first=np.array([i==0 for n,i,L in R]); last=np.array([i==L-1 for n,i,L in R])
    prev[first]=0; nxt[last]=0
    # prev2
    p2=np.vstack([np.zeros((2,13)),S[:-2]]); p2[np.array([i<2 for n,i,L in R])]=0
    return np.hstack([S,prev,nxt,p2])
Ztr=ctx(oof,Rtr); Zva=ctx(Sva,Rva)
thr=best_thresholds(Sva,Yva); print("stage1 val %.4f"%macro(Sva,Yva,thr)[0])
for C in [0.1,1,10]:
    S2=np.stack([LogisticRegression(C=C,max_iter=1000).fit(Ztr,Ytr[:,c]).decision_function(Zva) for c in range(13)],1)
    thr=best_thresholds(S2,Yva); m,fs=macro(S2,Yva,thr)
    print("stage2 C",C,"val %.4f"%m," ".join("%.3f"%f for f in fs),flush=True)
