"""Relabel real portal reports into our complaint topics, and strip personal details from them.

Keyword rules per topic (written from the topics' meaning, the Purbalingga and LaporGub files, and
our own examples; not tuned on the Bandung file) propose topics; the report's own label (a sector, a
LaporGub category, or the office a human dispatched it to) restricts them to topics of matching
OPDs. A report whose best topic is not clear is left out, except a Bandung report whose office
is known: it takes that office's first matching topic, else the office's default topic.
"""

# ruff: noqa: E501  (the rules below are a table: one topic a line reads better than wrapped regexes)
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from nlu.realtext import RealReport

DATA_DIR = Path(__file__).resolve().parent / "data"

# Order matters only to break ties: specific topics before general ones.
_RULES: dict[str, str] = {
    "aduan_lampu_lalu_lintas": r"lampu (merah|lalu ?lintas|bangjo|apill?)|traffic light|\bapill\b",
    "aduan_lampu_jalan": r"\bpju\b|penerangan jalan|lampu (jalan|penerangan|pju|jalanan)|lampu\W+(?:\w+\W+){0,3}(mati|padam|redup)"
                         r"|street ?lights?|lampu terang jalan",
    "aduan_marka_rambu": r"\bmarka|rambu|zebra ?cross|penyeberangan|speed ?(bump|trap)|polisi tidur|cermin cembung",
    "aduan_kemacetan": r"kemacetan|(?:jalan|jalur|lalu ?lintas|lalin|kendaraan|arus)\W+(?:\w+\W+){0,4}macet|macet\W+(?:\w+\W+){0,2}(?:parah|panjang|total)"
                       r"|rekayasa (?:lalu ?lintas|lalin|jalan|alur)|manajemen lalu ?lintas|pengaturan lalu ?lintas|buka tutup jalan"
                       r"|satu arah|putar balik|\bpak ogah|petugas (?:lalu ?lintas|dishub)|traffic (?:jams?|officers?)|gridlock",
    "aduan_parkir_liar": r"parkir",
    "aduan_angkutan_umum": r"angkot|angkutan (umum|kota|desa)|\bbus\b|terminal|travel gelap|\bodol\b|overtonase|"
                           r"truk (besar|tambang|pasir)|kendaraan berat",
    "aduan_jembatan": r"jembatan|bridge",
    "aduan_irigasi": r"irigasi|saluran (sawah|irigasi)|salur sawah|\bdam\b|bendung",
    "aduan_drainase": r"drainase|\bgot\b|selokan|gorong|saluran (air|pembuangan)|salur (air|drainase)|\bdrains?\b",
    "aduan_jalan_rusak": r"jalan\W+(?:\w+\W+){0,4}(rusak|berlubang|lubang|hancur|ancur|becek|bolong)|(rusak|lubang|hancur)\W+"
                         r"(?:\w+\W+){0,3}jalan|perbaikan jalan|\baspal|betonisasi|jalan cor|\bhotmix|potholes?|\broad\b",
    "aduan_air_sumur": r"sumur\W+(?:\w+\W+){0,5}(cemar|tercemar|bau|keruh|kotor|limbah)|air sumur|\bwells?\b",
    "aduan_sampah": r"sampah|\btps\b|\btpa\b|tempat pembuangan|garbage|rubbish|trash",
    "aduan_pencemaran": r"limbah|cemar|pencemaran|polusi|asap pabrik|\bdebu\b|pollution|bau busuk",
    "aduan_pohon_tumbang": r"pohon|tumbang|pangkas|perantingan|ranting|dahan|\btrees?\b",
    "aduan_taman_rth": r"\btaman\b|ruang terbuka hijau|\brth\b|alun[- ]alun|\bparks?\b",
    "aduan_kekerasan_perempuan_anak": r"kekerasan (?:terhadap |pada |kepada )?(?:anak|perempuan|istri|wanita|seksual)|\bkdrt\b|pelecehan|pencabulan|"
                                      r"dicabuli|pemerkosaan|diperkosa|perdagangan orang|trafficking|perkawinan anak|pernikahan (?:dini|anak)|nikah dini|"
                                      r"perlindungan (?:anak|perempuan)|\buptd ppa\b|\bp2tp2a\b|domestic violence|child abuse",
    "aduan_kb_keluarga": r"\bkb\b|keluarga berencana|kontrasepsi|\bpuspaga\b|\bbkkbn\b|\bplkb\b|vasektomi|\bimplan\b|\biud\b|"
                         r"bina keluarga|family planning|contracepti",
    "aduan_olahraga": r"olahraga|olah raga|stadion|\bgor\b|gelanggang|lapangan (?:sepak ?bola|bola|voli|futsal|basket|bulu ?tangkis)|"
                      r"kepemudaan|karang taruna|\batlet|\bkoni\b|\bsports?\b|stadium",
    "aduan_wisata_budaya": r"wisata|tempat rekreasi|cagar budaya|kesenian|\bbudaya\b|destinasi|\bcurug\b|museum|sanggar|"
                           r"tourist|tourism|heritage",
    "aduan_pemakaman": r"makam|kuburan|\btpu\b|cemetery|graves?",
    "aduan_reklame": r"reklame|baliho|billboard|spanduk|papan iklan|videotron",
    "aduan_kos_kontrakan": r"\bkos\b|\bkost\b|indekos|kontrakan|rumah sewa|\bkosan\b|boarding house",
    "aduan_menara_telekomunikasi": r"\btower\b|menara (telekomunikasi|bts|seluler|provider)|\bbts\b",
    "aduan_vandalisme": r"vandal|coret|corat|grafiti|graffiti|perusakan fasilitas",
    "aduan_pkl": r"\bpkl\b|pedagang kaki lima|lapak|pedagang (liar|di trotoar)|dagang kaki lima|street vendors?",
    "aduan_kebisingan": r"bising|berisik|suara keras|sound ?system|knalpot|karaoke|noise|noisy",
    "aduan_bangunan_liar": r"bangunan liar|\bbangli\b|bangun liar|bangunan (di atas|tanpa izin)|sempadan",
    "aduan_ketertiban_umum": r"mabuk|miras|\bjudi\b|balap liar|geng motor|tawuran|prostitusi|preman|\bpsk\b|trotoar",
    "aduan_pbg_imb": r"\bimb\b|\bpbg\b|izin mendirikan|persetujuan bangunan|izin bangun|building permit",
    "aduan_oss_nib": r"\boss\b|\bnib\b|nomor induk berusaha|izin usaha|business licen[cs]e",
    "aduan_izin_nakes": r"\bsip\b|\bstr\b|surat izin praktik|izin praktik|izin praktek",
    "aduan_perizinan": r"perizinan|\bizin\b|nomor resi|\bresi\b|\bdpmptsp\b|\bsiup\b|\bpermit\b",
    "aduan_akta": r"\bakta|\bakte\b|birth certificate",
    "aduan_kk": r"kartu keluarga|\bkk\b|family card",
    "aduan_pindah_datang": r"pindah (domisili|datang|alamat|penduduk)|surat pindah|skpwni|mutasi penduduk",
    "aduan_ktp_el": r"\bktp|e-ktp|ektp|blangko|perekaman|\bid card\b|\bnik\b",
    "aduan_ppdb": r"\bppdb\b|zonasi|pendaftaran (sekolah|siswa|peserta didik)|penerimaan (peserta didik|siswa)|"
                  r"daftar sekolah|school admission",
    "aduan_pungutan_sekolah": r"pungut(an)?\W+(?:\w+\W+){0,4}sekolah|sekolah\W+(?:\w+\W+){0,6}(pungut|iuran|biaya|bayar)"
                              r"|uang (gedung|komite|seragam|bangunan|perpisahan)|\bspp\b|study tour|sumbangan sekolah"
                              r"|iuran komite|ijazah\W+(?:\w+\W+){0,3}(ditahan|tahan|belum)|tahan ijazah|school fees?",
    "aduan_tunjangan_guru": r"tunjang(an)? (guru|profesi|sertifikasi)|sertifikasi guru|\btpg\b|insentif guru|dapodik"
                            r"|inpassing|\bppg\b|teachers?'? allowance",
    "aduan_fasilitas_sekolah": r"(gedung|ruang|kelas|atap|wc|toilet|bangunan)\W+(?:\w+\W+){0,3}sekolah|sekolah\W+"
                               r"(?:\w+\W+){0,3}(rusak|roboh|bocor)|rehab sekolah",
    "aduan_guru_sekolah": r"\bguru\b|kepala sekolah|\bkepsek|teachers?",
    "aduan_puskesmas": r"puskesmas|pustu|posyandu|bidan|polindes|health cent(er|re)",
    "aduan_layanan_rsud": r"\brsud|rumah sakit|hospital",
    "aduan_kesehatan_lingkungan": r"demam berdarah|\bdbd\b|fogging|jentik|nyamuk|stunting|gizi buruk|wabah|diare",
    "aduan_odgj_terlantar": r"\bodgj|gangguan jiwa|orang gila|terlantar|gelandangan|pengemis|anak jalanan|pengamen|"
                            r"manusia gerobak|gepeng",
    "aduan_dtks": r"\bdtks\b|data terpadu|\bpbi\b|\bkis\b|desil|terdata|\bp3ke\b|\bsktm\b|miskin",
    "aduan_bansos": r"bansos|bantuan sosial|bantu sosial|\bblt\b|\bpkh\b|\bbpnt\b|sembako|\bbst\b|bantuan (langsung|pangan|beras)"
                    r"|social aid",
    "aduan_banjir": r"banjir|genangan|tergenang|luapan|flood",
    "aduan_longsor": r"longsor|tanah (gerak|ambles|retak)|pergerakan tanah|landslide",
    "aduan_kebakaran": r"kebakaran|terbakar|\bbakar\b|damkar|pemadam|\bfire\b",
    "aduan_sarang_hewan": r"sarang|tawon|\bular\b|lebah|hornet|bees?\b|snakes?",
    "aduan_hewan_liar": r"anjing|kucing liar|hewan liar|monyet|\bkera\b|babi hutan|rabies|(sapi|kambing|hewan) (lepas|berkeliaran)"
                        r"|stray|\bdogs?\b",
    "aduan_air_bersih": r"\bpdam|air bersih|perumda air|air (mati|tidak (mengalir|keluar)|macet|keruh)|pipa (bocor|air)|"
                        r"tagihan air|meteran air|\bpam\b|tap water|water supply",
    "aduan_upah_phk": r"\bphk|pesangon|\bthr\b|upah|gaji\W+(?:\w+\W+){0,4}(karyawan|buruh|pekerja|belum|telat|dipotong)|"
                      r"\bumk\b|buruh|karyawan|kontrak kerja|outsourcing|wages?|laid off",
    "aduan_lowongan_kerja": r"lowongan|\bloker\b|pencari kerja|kartu kuning|\bak ?1\b|pengangguran|rekrutmen|calo kerja|job",
    "aduan_kartu_tani": r"kartu tani|\be-?rdkk\b|farmer card",
    "aduan_pupuk": r"pupuk|fertili[sz]er",
    "aduan_pertanian_ternak": r"petani|sawah|panen|\bhama\b|ternak|penyuluh|benih|bibit|traktor|alsintan|\bpmk\b|farm",
    "aduan_wifi_publik": r"wifi|wi-fi|internet desa|hotspot",
    "aduan_website_aplikasi": r"website|\bsitus\b|aplikasi|\bweb\b|\bserver\b|\berror\b|\beror\b|\bapp\b",
    "aduan_pbb": r"\bpbb\b|pajak bumi|\bsppt\b|\bbphtb\b|\bnjop\b|pajak daerah|property tax",
    "aduan_lpg": r"\blpg|gas (melon|3 ?kg|elpiji)|elpiji|tabung gas|pangkalan gas",
    "aduan_harga_pasar": r"harga\W+(?:\w+\W+){0,4}(naik|mahal|melambung|tinggi)|\bpasar\b|timbangan|takaran|minyak goreng",
    "aduan_koperasi_umkm": r"koperasi|\bumkm|\bukm\b|usaha mikro|\bkur\b|pinjaman modal|\bbpum\b|banpres|bantuan (modal|usaha)"
                           r"|pelaku usaha|rentenir|bank emok|small business",
    "aduan_pungli": r"pungli|pungutan liar|\bsuap|\bcalo\b|minta (uang|imbalan)|uang pelicin|gratifikasi|korupsi|bribe",
    "aduan_honorer_asn": r"honorer|\bpppk|\bcpns|\bcasn|seleksi (asn|pppk|cpns)|bkpsdm|\bbkd\b|kenaikan pangkat|"
                         r"mutasi pegawai|pensiun|\bnip\b|tenaga (honor|kontrak)|\bthl\b|\btkk\b|civil servants?",
    "aduan_pelayanan_asn": r"pelayanan\W+(?:\w+\W+){0,3}(buruk|lambat|lama|jutek|tidak ramah|mengecewakan)|pegawai\W+"
                           r"(?:\w+\W+){0,3}(bolos|main hp|tidur|jutek|kasar)|\basn\b|\bpns\b",
    "aduan_dana_desa": r"dana desa|\badd\b|apbdes|anggaran desa|bumdes|blt[- ]dd|village fund",
    "aduan_perangkat_desa": r"kepala desa|\bkades|perangkat desa|sekdes|kadus|\bkuwu\b|\blurah\b|village head",
    "aduan_rumah_tidak_layak": r"rutilahu|\brtlh\b|rumah tidak layak|bedah rumah|rumah (roboh|reyot|hampir roboh)|\bbsps\b",
    "aduan_psu_perumahan": r"developer|pengembang|fasum|fasos|\bpsu\b|housing estate",
    "aduan_tanah_rumah": r"status tanah|tanah (milik|sengketa|warisan|kas desa|carik|aset)|sengketa (lahan|rumah)|"
                         r"kepemilikan (tanah|rumah)|hak milik|\bajb\b|girik|batas tanah|rumah dinas",
    "luar_pertanahan": r"sertifikat|sertipikat|\bbpn\b|\bptsl\b|prona",
    "luar_pln": r"\bpln\b|listrik (padam|mati)|token listrik|meteran listrik|tiang listrik|kabel listrik|power outage",
    "luar_polisi": r"pencurian|maling|dicuri|penipuan|penganiayaan|begal|narkoba|perampokan|polres|polsek",
    "luar_jalan_nasional": r"jalan (nasional|provinsi)|\btol\b",
    "luar_bpjs": r"\bbpjs(?! ketenagakerjaan)|\bjkn\b",
}
RULES: dict[str, re.Pattern[str]] = {t: re.compile(p) for t, p in _RULES.items()}

# The topic a report dispatched to an OPD takes when no rule of that OPD's topics matches.
OPD_DEFAULT_TOPIC: dict[str, str] = {
    "dinas-pupr": "aduan_jalan_rusak", "dinas-sosial": "aduan_bansos", "dispendukcapil": "aduan_ktp_el",
    "dinas-pendidikan": "aduan_guru_sekolah", "dinas-kesehatan": "aduan_puskesmas", "dlh": "aduan_sampah",
    "dishub": "aduan_angkutan_umum", "disperkim": "aduan_psu_perumahan", "disnaker": "aduan_upah_phk",
    "satpol-pp": "aduan_ketertiban_umum", "bkpsdm": "aduan_honorer_asn", "diskominfo": "aduan_website_aplikasi",
    "disperindag": "aduan_harga_pasar", "dpmptsp": "aduan_perizinan", "bapenda": "aduan_pbb",
    "dinas-koperasi-umkm": "aduan_koperasi_umkm", "bpbd": "aduan_banjir", "inspektorat": "aduan_pungli",
    "dpmd": "aduan_dana_desa", "rsud": "aduan_layanan_rsud", "dinas-pertanian": "aduan_pertanian_ternak",
    "damkar": "aduan_kebakaran", "perumda-air-minum": "aduan_air_bersih", "disparbud": "aduan_wisata_budaya",
    "dispora": "aduan_olahraga", "dp2kbp3a": "aduan_kekerasan_perempuan_anak",
}

# LaporGub categories -> OPDs whose topics a row of that category may take.
LAPORGUB_OPDS: dict[str, set[str]] = {
    "infrastruktur": {"dinas-pupr", "dishub", "disperkim", "perumda-air-minum", "dlh", "luar"},
    "sosial masyarakat": {"dinas-sosial", "dpmd", "satpol-pp", "dp2kbp3a", "dispora"},
    "pendidikan": {"dinas-pendidikan"},
    "permades dan kependudukan": {"dispendukcapil", "dpmd", "dp2kbp3a"},
    "energi": {"luar", "disperindag"},
    "kepegawaian": {"bkpsdm", "inspektorat"},
    "lingkungan": {"dlh"},
    "keuangan dan aset": {"bapenda", "disperkim", "luar"},
    "kesehatan": {"dinas-kesehatan", "rsud", "luar"},
    "ekonomi dan industri": {"disperindag", "dinas-koperasi-umkm", "disnaker"},
    "bencana": {"bpbd", "damkar"},
    "forkominda": {"luar", "satpol-pp"},
    "pertanian": {"dinas-pertanian"},
    "pariwisata dan budaya": {"disparbud", "dispora"},
}


# "a/n Budi NIK : [NIK] No KK [NIK]": a NIK or family-card number given to identify the reporter (the scrubbed placeholder
# after its label) says nothing about the matter; counted, it outvoted "akta kelahiran" in a birth-certificate report.
_ID_FIELD = re.compile(r"\b(?:NIK|Nik|nik|No\.? ?KK|no\.? ?kk|No\.? ?Kk|KK|kk|KTP|ktp)\s*[:.]?\s*\[?NIK\b\]?")


def topic_hits(text: str) -> dict[str, int]:
    """How often each topic's rule matches the lower-cased text (identity fields left out)."""
    low = _ID_FIELD.sub(" ", text).lower()
    hits = {}
    for topic, pattern in RULES.items():
        n = len(pattern.findall(low))
        if n:
            hits[topic] = n
    return hits


def best_topic(text: str, allowed: Iterable[str] | None = None) -> str | None:
    """The topic whose rule matches most often among `allowed`; None when none or a tie."""
    hits = topic_hits(text)
    if allowed is not None:
        keep = set(allowed)
        hits = {t: n for t, n in hits.items() if t in keep}
    if not hits:
        return None
    ranked = sorted(hits.items(), key=lambda kv: -kv[1])
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        return None
    return ranked[0][0]


def topics_of_opds(opds: set[str], routing: dict[str, str]) -> list[str]:
    topics = [t for t, o in routing.items() if o in opds]
    if "luar" in opds:
        topics += [t for t in RULES if t.startswith("luar_")]
    return topics


def topic_for_dispatch(text: str, opd: str, routing: dict[str, str]) -> str | None:
    """The topic of a report a human dispatched to `opd`: its best matching topic of that OPD, else the default."""
    topics = [t for t, o in routing.items() if o == opd]
    if not topics:
        return None
    hits = {t: n for t, n in topic_hits(text).items() if t in topics}
    if hits:
        return max(hits, key=lambda t: (hits[t], -topics.index(t)))
    default = OPD_DEFAULT_TOPIC.get(opd)
    return default if default in topics else topics[0]


_HONORIFIC = re.compile(
    r"\b((?:[Bb]apak|[Pp]ak|[Ii]bu|[Bb]u|[Ss]dr\.?|[Ss]audara|[Ss]audari|[Aa]\.? ?[Nn]\.?|[Aa]tas [Nn]ama|[Nn]ama(?: saya)?"
    r"|[Aa]nak saya|[Ss]uami saya|[Ii]stri saya|[Aa]yah saya|[Ii]bu saya|H\.|Hj\.|[Aa]lm\.?|[Mm]ama|[Nn]eng|[Kk]ang|[Tt]eh)"
    r"\s*[:,]?\s+)((?:[A-Z][A-Za-z'\.]+\s?){1,4})")
_NOT_NAMES = {"Bupati", "Kepala", "Camat", "Kades", "Desa", "Dinas", "Gubernur", "Presiden", "Lurah", "Rt", "Rw", "RT",
              "RW", "Sekdes", "Kadis", "Walikota", "Wakil", "Bapak", "Ibu", "Yth", "Admin", "Petugas", "Dokter", "Guru",
              "Kapolsek", "Kapolres", "Direktur", "Ketua", "Yang", "Mohon", "Saya", "Kami", "Terima", "Dan", "Di"}
_LONG_DIGITS = re.compile(r"\d{7,}")
_EMAIL = re.compile(r"\S+@\S+\.\w+")


def scrub(text: str, limit: int = 700) -> str:
    """Best effort against personal details: names after honorifics, long numbers and e-mail addresses
    become placeholders; whitespace collapses; long reports are cut at a word boundary."""

    def name(match: re.Match[str]) -> str:
        words = match.group(2).split()
        if words and words[0].strip(".") in _NOT_NAMES:
            return match.group(0)
        return f"{match.group(1)}[NAMA] "

    text = _EMAIL.sub("[EMAIL]", text)
    text = _LONG_DIGITS.sub("[NOMOR]", text)
    text = _HONORIFIC.sub(name, text)
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0]
    return text


_LETTERS = re.compile(r"[A-Za-z]+")
# "nama (langgan) sri mulyani", "a.n. budi", "sdr. eko": the (up to two) words after such a cue are a name,
# whatever their case, even when common enough to pass `common_words`.
_NAME_CUE = re.compile(r"\b(?:nama|a\.?n\.?|sdr\.?|saudara|saudari)\s*:?\s+"
                       r"((?:(?:langgan|pelanggan|lengkap|saya|kami|ibu|bapak|pak|bu|anak|suami|istri|siswa|nik)\s+)*)"
                       r"[a-z']+(?:\s+(?!nik\b|alamat\b|no\b|nomor\b|number\b|dan\b|yang\b|di\b)[a-z']+)?",
                       re.IGNORECASE)
MIN_REPORTS = 3


def common_words(data_dir: Path, min_reports: int = MIN_REPORTS) -> set[str]:
    """Lower-cased words found in at least `min_reports` different LaporGub or Purbalingga reports, plus
    every word of our own written examples (nlu/data without a `source`).

    A person's name, a street or a hamlet is rare across 10,000 reports from another province, so keeping
    only these words takes names out of training text without a list of names (the Bandung file, the one
    the evaluation scores, is not used to build it)."""
    from nlu.realtext import laporgub_rows, purbalingga_reports
    from nlu.training_data import load_training_data

    counts: Counter[str] = Counter()
    texts = [tokens for tokens, _ in laporgub_rows(data_dir)] + [r.text for r in purbalingga_reports(data_dir)]
    for text in texts:
        counts.update({w.lower() for w in _LETTERS.findall(text)})
    words = {w for w, n in counts.items() if n >= min_reports}
    written = [e.text for e in load_training_data(DATA_DIR).examples if "source" not in e.metadata]
    words.update(w.lower() for text in written for w in _LETTERS.findall(text))
    return words


def clean_for_training(text: str, limit: int = 700, vocabulary: set[str] | None = None) -> str:
    """`scrub`, no square brackets (Rasa reads `[text](entity)` as an annotation), and, given a
    vocabulary (`common_words`), only its words: names, streets and hamlets drop out."""
    text = scrub(text, limit).replace("[", "").replace("]", "")
    text = _NAME_CUE.sub(lambda m: m.group(0)[: m.start(1) - m.start(0)] + m.group(1), text)
    if vocabulary is not None:
        text = _LETTERS.sub(lambda m: m.group(0) if m.group(0).lower() in vocabulary else "", text)
    return " ".join(text.split())


def recurring_words(reports: Iterable[RealReport], min_reports: int = MIN_REPORTS) -> set[str]:
    """Lower-cased words of a regency's own reports found in at least `min_reports` different reports
    (duplicate groups count once) sent to at least two different offices, and written in lower case at
    least half the time.

    They are the regency's everyday words (its inflections, its services' names as residents write them)
    that the other provinces' files lack. A name is capitalised, or stays inside one resident's repeated
    reports to one office: it stays out."""
    groups: dict[str, set[str]] = {}
    offices: dict[str, set[str]] = {}
    lower: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    for report in reports:
        for word in _LETTERS.findall(report.text):
            key = word.lower()
            groups.setdefault(key, set()).add(report.group)
            offices.setdefault(key, set()).add(report.label)
            seen[key] += 1
            lower[key] += word == key
    return {w for w, g in groups.items()
            if len(g) >= min_reports and len(offices[w]) >= 2 and 2 * lower[w] >= seen[w]}


def bandung_examples(reports: Iterable[RealReport], routing: dict[str, str],
                     vocabulary: set[str] | None = None) -> list[tuple[str, str, str]]:
    """(text, topic, group) for Bandung reports dispatched to one of our OPDs. With a vocabulary
    (`common_words`), the words these reports share (`recurring_words`) are kept too."""
    reports = list(reports)
    if vocabulary is not None:
        vocabulary = vocabulary | recurring_words(reports)
    out = []
    for report in reports:
        topic = topic_for_dispatch(report.text, report.label, routing)
        if topic:
            out.append((clean_for_training(report.text, vocabulary=vocabulary), topic, report.group))
    return out


def purbalingga_examples(reports: Iterable[RealReport], routing: dict[str, str],
                         sectors: dict[str, set[str]], vocabulary: set[str] | None = None) -> list[tuple[str, str]]:
    """(text, topic) for Purbalingga reports whose topic is clear and inside their sector."""
    out = []
    seen: set[str] = set()
    for report in reports:
        if report.group in seen:
            continue
        allowed = topics_of_opds(sectors.get(report.label, set()), routing)
        topic = best_topic(report.text, allowed)
        if topic:
            seen.add(report.group)
            out.append((clean_for_training(report.text, vocabulary=vocabulary), topic))
    return out


def laporgub_examples(rows: Iterable[tuple[str, str]], routing: dict[str, str], per_topic: int = 40,
                      vocabulary: set[str] | None = None) -> list[tuple[str, str]]:
    """(tokens, topic) for LaporGub rows whose topic is clear and inside their category, capped per topic."""
    out = []
    counts: dict[str, int] = {}
    seen: set[str] = set()
    for tokens, category in rows:
        words = tokens.split()
        if len(words) < 4 or tokens in seen:
            continue
        allowed = topics_of_opds(LAPORGUB_OPDS.get(category, set()), routing)
        topic = best_topic(tokens, allowed)
        if topic and counts.get(topic, 0) < per_topic:
            seen.add(tokens)
            counts[topic] = counts.get(topic, 0) + 1
            out.append((clean_for_training(" ".join(words[:60]), vocabulary=vocabulary), topic))
    return out
