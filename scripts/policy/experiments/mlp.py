"""One-hidden-layer network over the shipped hashed features (validation only).

hidden = relu(W1^T x + b1) with x the L2-normalised binary bucket vector (s3,h2,p2 masked to
2^nb buckets), 13 sigmoid outputs trained jointly (multi-label cross-entropy, sklearn
MLPClassifier, adam). Thresholds and macro F1 on VALIDATION; the test split is never loaded.
After every epoch it also prints the ensemble LR + w * MLP (w = 0.5, 1, 2) with the float LR
scores (C=8, trained on TRAIN) that section_stack.py caches in /tmp/capp130_stage1_lr8.npz (run
that first).
Usage: /usr/bin/python3 mlp.py NB HIDDEN EPOCHS ALPHA [groups]
"""
import os
import sys
import time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import *
from sklearn.neural_network import MLPClassifier
import warnings
warnings.filterwarnings("ignore")
nb = int(sys.argv[1]); H = int(sys.argv[2]); E = int(sys.argv[3]); alpha = float(sys.argv[4])
keys = (sys.argv[5] if len(sys.argv) > 5 else "s3,h2,p2").split(",")
def build2(split):
    X, _, _, Y = build(split, keys, nb)
    return X, Y
Xtr,Ytr=build2({"train"}); Xva,Yva=build2({"val"})
m=MLPClassifier(hidden_layer_sizes=(H,),alpha=alpha,batch_size=128,learning_rate_init=1e-3,
                max_iter=1,warm_start=True,random_state=0)
t0=time.time()
for ep in range(E):
    m.fit(Xtr,Ytr)
    h=np.maximum(Xva@m.coefs_[0]+m.intercepts_[0],0)
    S=h@m.coefs_[1]+m.intercepts_[1]
    thr=best_thresholds(S,Yva); mf,fs=macro(S,Yva,thr)
    np.save("/tmp/capp130_mlp_ep%d.npy" % (ep + 1), S)
    z = np.load("/tmp/capp130_stage1_lr8.npz")["sva"]
    for wgt in (0.5, 1.0, 2.0):
        E2 = z + wgt * S; t2 = best_thresholds(E2, Yva); me, fe = macro(E2, Yva, t2)
        print("  ensemble LR + %.1f * MLP val %.4f" % (wgt, me), " ".join("%.3f" % f for f in fe), flush=True)
    print(nb,H,alpha,"ep",ep+1,"%.0fs"%(time.time()-t0),"val %.4f"%mf," ".join("%.3f"%f for f in fs),flush=True)
