# SEED_SCRIPT of pcap_reader_fuzzer: sh make_pcap_seeds.sh FUZZER_CORPUS_DIR SHARED_CORPUS_DIR
python3 "$(dirname "$0")/make_pcap_seeds.py" "$1"
