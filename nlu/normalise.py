"""Indonesian chat normalisation: the text residents type, made comparable to the training data.

Lower-cases, shortens letters repeated for emphasis ("tolooong" -> "tolong"), maps chat slang and
abbreviations ("tdk", "gak", "yg", "jln"), common Javanese words ("dalane", "ora", "banyu") and common
Sundanese words ("ruksak", "teu acan", "runtah") to standard Indonesian, adds the Indonesian twin of
common English complaint words, and replaces ticket numbers, NIK and phone numbers by placeholders so
digits do not decide an intent. Pure Python with no dependencies: the in-process engine and the custom
Rasa component (`nlu.rasa_components.IndonesianChatNormalizer`) share it.
"""

from __future__ import annotations

import re
import unicodedata

# Chat slang and abbreviations -> standard Indonesian. Keys are whole tokens.
SLANG: dict[str, str] = {
    # negation, time, degree
    "tdk": "tidak", "tak": "tidak", "gak": "tidak", "ga": "tidak", "gk": "tidak", "nggak": "tidak", "ngga": "tidak",
    "enggak": "tidak", "engga": "tidak", "kagak": "tidak", "ndak": "tidak", "nda": "tidak", "g": "tidak",
    "sdh": "sudah", "udh": "sudah", "udah": "sudah", "dah": "sudah", "sudh": "sudah",
    "blm": "belum", "blum": "belum", "lom": "belum", "belom": "belum",
    "bgt": "banget", "bngt": "banget", "bnget": "banget", "bener": "benar", "bnr": "benar",
    "skrg": "sekarang", "skr": "sekarang", "skrang": "sekarang", "kmrn": "kemarin", "kemaren": "kemarin",
    "td": "tadi", "tdi": "tadi", "bsk": "besok", "lg": "lagi", "lgi": "lagi", "sm": "sama", "ama": "sama",
    "hr": "hari", "hri": "hari", "bln": "bulan", "thn": "tahun", "th": "tahun", "mgg": "minggu", "jm": "jam",
    # function words
    "yg": "yang", "dgn": "dengan", "dg": "dengan", "dr": "dari", "dri": "dari", "krn": "karena", "karna": "karena",
    "utk": "untuk", "u/": "untuk", "untk": "untuk", "tuk": "untuk", "pd": "pada", "kpd": "kepada", "dlm": "dalam",
    "jd": "jadi", "jdi": "jadi", "tp": "tapi", "tpi": "tapi", "klo": "kalau", "kl": "kalau", "kalo": "kalau",
    "trs": "terus", "trus": "terus", "sj": "saja", "aja": "saja", "aj": "saja", "jg": "juga", "jga": "juga",
    "sy": "saya", "sya": "saya", "aku": "saya", "ak": "saya", "gw": "saya", "gue": "saya", "gua": "saya",
    "km": "kamu", "kmu": "kamu", "dmn": "dimana", "dmna": "dimana", "gmn": "bagaimana", "gimana": "bagaimana",
    "gmana": "bagaimana", "bgmn": "bagaimana", "knp": "kenapa", "napa": "kenapa", "brp": "berapa",
    "bs": "bisa", "bsa": "bisa", "hrs": "harus", "msh": "masih", "masi": "masih", "mau": "mau", "mo": "mau",
    "pengen": "ingin", "pgn": "ingin", "pingin": "ingin", "byk": "banyak", "bnyk": "banyak", "sgt": "sangat",
    "org": "orang", "orng": "orang", "ortu": "orang tua", "tlg": "tolong", "tolongin": "tolong", "mhn": "mohon",
    "min": "admin", "mimin": "admin", "adm": "admin", "pls": "tolong", "plis": "tolong", "please": "tolong",
    "trims": "terima kasih", "makasih": "terima kasih", "makasi": "terima kasih", "mksh": "terima kasih",
    "thx": "thanks", "tq": "thanks", "ty": "thanks", "ok": "oke", "okey": "oke", "okay": "oke", "okee": "oke",
    "dpt": "dapat", "dapet": "dapat", "ksh": "kasih", "kasi": "kasih", "ngasih": "memberi", "liat": "lihat",
    "ngurus": "mengurus", "urus": "mengurus", "bikin": "membuat", "buat": "membuat", "gimn": "bagaimana",
    # things
    "jln": "jalan", "jl": "jalan", "jalanan": "jalan", "jembatane": "jembatan", "pju": "lampu jalan",
    # vowels dropped in haste (thirty-second trial: "jlan rsak prah di ds sooko", "lmpu jln mti" got unsure topics)
    "jlan": "jalan", "jaln": "jalan", "rsak": "rusak", "rsk": "rusak", "rusk": "rusak", "prah": "parah",
    "lmpu": "lampu", "lmp": "lampu", "mti": "mati", "smpah": "sampah", "smph": "sampah", "bnjir": "banjir",
    "lbang": "lubang", "lbg": "lubang",
    # (thirty-seventh trial: "tlg pk, jln dpn rmh sy rsk parah, bnyk lbng" got unsure topics)
    "lbng": "lubang", "dpn": "depan", "rmh": "rumah", "dkt": "dekat", "sblh": "sebelah", "blkg": "belakang",
    "ktp": "ktp", "ektp": "ktp", "e-ktp": "ktp", "ktpel": "ktp", "ktp-el": "ktp", "kk": "kk",
    "pdam": "pdam", "puskes": "puskesmas", "pkm": "puskesmas", "rs": "rumah sakit", "rsu": "rumah sakit",
    "kades": "kepala desa", "pemdes": "pemerintah desa", "kec": "kecamatan", "kab": "kabupaten",
    "ds": "desa", "dsn": "dusun", "kel": "kelurahan", "sklh": "sekolah", "sekolahan": "sekolah",
    "hp": "hp", "wa": "whatsapp", "wi-fi": "wifi", "apk": "aplikasi", "app": "aplikasi",
    "brg": "barang", "hrg": "harga", "sembako": "sembako", "elpiji": "lpg", "gas melon": "lpg",
    # Javanese (ngoko and krama) common in complaints
    "dalan": "jalan", "dalane": "jalan", "ratan": "jalan", "lampune": "lampu", "lampu2": "lampu",
    "ora": "tidak", "mboten": "tidak", "gak-gak": "tidak", "durung": "belum", "dereng": "belum",
    "wis": "sudah", "uwis": "sudah", "sampun": "sudah", "piye": "bagaimana", "pripun": "bagaimana",
    "ngendi": "mana", "ndi": "mana", "endi": "mana", "banyu": "air", "banyune": "air", "toyo": "air",
    "omah": "rumah", "omahku": "rumah saya", "griya": "rumah", "kaline": "sungai", "kalen": "selokan",
    "got": "selokan", "gorong-gorong": "selokan", "mampet": "tersumbat", "buntu": "tersumbat",
    "numpuk": "menumpuk", "tumpuk": "menumpuk", "mambu": "bau", "ambune": "bau", "bolong": "berlubang",
    "bolong2": "berlubang", "jugrug": "longsor", "ambrol": "ambruk", "rubuh": "roboh", "ambruk": "roboh",
    "peteng": "gelap", "mati": "mati", "urip": "hidup", "mili": "mengalir", "ngalir": "mengalir",
    "suwe": "lama", "suwi": "lama", "rusake": "rusak", "rusak2": "rusak", "akeh": "banyak", "okeh": "banyak",
    "nyuwun": "mohon", "tulung": "tolong", "tulungi": "tolong", "sampeyan": "anda", "panjenengan": "anda",
    "kulo": "saya", "kula": "saya", "awakku": "saya", "bocah": "anak", "anakku": "anak saya",
    "sekolahe": "sekolah", "gurune": "guru", "kebanjiran": "banjir", "banjire": "banjir", "sampahe": "sampah",
    "pasare": "pasar", "regane": "harga", "larang": "mahal", "murah": "murah", "pupuke": "pupuk",
    "matur": "terima", "nuwun": "kasih", "suwun": "terima kasih", "lur": "saudara", "cak": "mas",
    "ning": "di", "nang": "di", "neng": "di", "ing": "di", "karo": "dengan", "lan": "dan", "ono": "ada",
    "onok": "ada", "enek": "ada", "wonten": "ada", "iki": "ini", "kuwi": "itu", "kui": "itu", "opo": "apa",
    "menopo": "apa", "kapan": "kapan", "kok": "kok", "ae": "saja", "wae": "saja", "mung": "hanya",
    "kreteg": "jembatan", "bangjo": "lampu lalu lintas", "rabuk": "pupuk", "lara": "sakit", "loro": "dua",
    "wangan": "saluran irigasi", "mendem": "mabuk", "pari": "padi", "sawahe": "sawah", "gaweyan": "pekerjaan",
    "bayaran": "gaji", "bayarane": "gaji", "uwong": "orang", "wong": "orang", "pajeg": "pajak",
    "pemungutan": "pungutan",
    "berisik": "bising", "udan": "hujan", "geni": "api", "kobong": "terbakar",
    # More Javanese as residents of Central and East Java write it: numbers, time, function words,
    # krama forms, and the verbs and nouns of complaints. Words that are also common Indonesian
    # ("oleh", "kali", "tangga", "lemah", "serat", "tiba", "tekan", "dalem") are left alone.
    "siji": "satu", "setunggal": "satu", "rong": "dua", "kalih": "dua", "telu": "tiga", "telung": "tiga",
    "tigang": "tiga", "papat": "empat", "patang": "empat", "sekawan": "empat", "limang": "lima",
    "gangsal": "lima", "enem": "enam", "pitu": "tujuh", "wolu": "delapan", "songo": "sembilan",
    "seket": "lima puluh", "satus": "seratus", "atus": "ratus", "ewu": "ribu", "sewu": "seribu", "yuta": "juta",
    "dina": "hari", "dinten": "hari", "sedina": "sehari", "sasi": "bulan", "wulan": "bulan", "taun": "tahun",
    "warsa": "tahun", "bengi": "malam", "wengi": "malam", "ndalu": "malam", "esuk": "pagi", "enjing": "pagi",
    "saben": "setiap", "maneh": "lagi", "meneh": "lagi", "malih": "lagi", "saiki": "sekarang",
    "sakniki": "sekarang", "wingi": "kemarin", "dangu": "lama", "nganti": "sampai",
    "ngantos": "sampai", "isih": "masih", "isik": "masih", "taksih": "masih",
    "boten": "tidak", "sing": "yang", "ingkang": "yang",
    "kabeh": "semua", "kabeh-kabeh": "semua", "sedaya": "semua", "ana": "ada", "yen": "kalau", "nek": "kalau",
    "lek": "kalau", "menawi": "kalau", "mergo": "karena", "mergane": "karena", "amarga": "karena",
    "nanging": "tetapi", "ndek": "di", "dhateng": "ke", "menyang": "ke", "nyang": "ke", "saka": "dari",
    "seko": "dari", "soko": "dari", "saking": "dari", "iku": "itu", "niki": "ini", "meniko": "ini",
    "punika": "ini", "niku": "itu", "kowe": "kamu", "awakdewe": "kami", "dewe": "sendiri", "piyambak": "sendiri",
    "arep": "mau", "ajeng": "mau", "gelem": "mau", "purun": "mau", "iso": "bisa", "isa": "bisa", "saged": "bisa",
    "kudu": "harus", "kedah": "harus", "duwe": "punya", "nduwe": "punya", "gadhah": "punya",
    "gedhe": "besar", "gede": "besar", "ageng": "besar", "cilik": "kecil", "alit": "kecil", "kathah": "banyak",
    "sithik": "sedikit", "sekedik": "sedikit", "sanget": "sekali", "cedhak": "dekat",
    "cedak": "dekat", "adoh": "jauh", "tebih": "jauh", "ngarep": "depan", "ngajeng": "depan", "mburi": "belakang",
    "wingking": "belakang", "njero": "dalam", "lebet": "dalam", "njaba": "luar", "njawi": "luar",
    "nduwur": "atas", "ngisor": "bawah",
    "ngenteni": "menunggu", "ngentosi": "menunggu", "nunggu": "menunggu", "dikon": "disuruh",
    "dikongkon": "disuruh", "njaluk": "minta", "dijaluki": "dimintai", "dijaluk": "diminta",
    "golek": "cari", "pados": "cari", "entek": "habis", "telas": "habis", "metu": "keluar", "medal": "keluar",
    "mlebu": "masuk", "mlebet": "masuk", "teka": "datang", "teko": "datang", "rawuh": "datang", "lunga": "pergi",
    "liwat": "lewat", "langkung": "lewat", "tibo": "jatuh", "ceblok": "jatuh", "nutup": "menutup",
    "nutupi": "menutupi", "mbuwang": "membuang", "mbuang": "membuang", "nguwalake": "membuang",
    "ngrawat": "merawat", "nampa": "menerima", "nampi": "menerima", "dadi": "jadi", "dados": "jadi",
    "jare": "katanya", "jarene": "katanya", "ngendikanipun": "katanya", "ngomong": "bilang", "wedi": "takut",
    "ajrih": "takut", "angel": "susah", "gampang": "mudah", "kebak": "penuh", "ajur": "hancur",
    "remuk": "hancur", "mbludak": "meluap", "mbleber": "meluap", "mbluber": "meluap", "ireng": "hitam",
    "cemeng": "hitam", "reged": "kotor", "resik": "bersih", "murup": "menyala",
    "nimpa": "menimpa", "ketiban": "tertimpa", "kelebon": "kemasukan", "mlaku": "berjalan",
    "mlampah": "berjalan", "lepat": "salah", "leres": "benar", "ndandani": "memperbaiki",
    "didandani": "diperbaiki", "dibenakke": "dibetulkan", "dileresaken": "dibetulkan", "mbayar": "membayar",
    "narik": "menarik", "diumbar": "dibiarkan", "dijarke": "dibiarkan", "ngapusi": "menipu",
    "wit": "pohon", "uwit": "pohon", "wite": "pohon", "toya": "air", "radosan": "jalan",
    "peken": "pasar", "wot": "jembatan", "lare": "anak", "tiyang": "orang", "tanggaku": "tetangga saya",
    "tanggane": "tetangga", "tonggo": "tetangga", "simbah": "nenek", "mbah": "nenek", "mbahku": "nenek saya",
    "asu": "anjing", "pitik": "ayam", "wedhus": "kambing", "ula": "ular", "watu": "batu",
    "obong": "bakar", "duit": "uang", "arta": "uang", "gawean": "pekerjaan", "gerah": "sakit", "jeneng": "nama",
    "nami": "nama", "lair": "lahir", "lairan": "kelahiran",
    "lairane": "kelahiran", "kelairan": "kelahiran", "setrum": "listrik", "sugih": "kaya", "mlarat": "miskin",
    "kere": "miskin", "dipun": "di",
    # krama of a road complaint (thirty-first trial: "margi ing dusun krajan risak sanget, kathah bolongan" got
    # unsure topics without the road)
    "margi": "jalan", "marginipun": "jalan", "risak": "rusak", "risake": "rusak", "risakipun": "rusak",
    "bolongan": "lubang", "bolongane": "lubang", "ndandosi": "memperbaiki", "dipundandosi": "diperbaiki",
    "didandosi": "diperbaiki", "pejah": "mati", "lepen": "sungai", "sesah": "susah",
    # krama of a question (thirty-second trial: "kula badhe nyuwun pirsa syarat damel KTP" was routed as a complaint)
    "badhe": "mau", "pirsa": "tanya", "priksa": "tanya", "damel": "membuat", "ndamel": "membuat",
    "dipundamel": "dibuat",
}

# Sundanese (loma and lemes) as residents of West Java write it in complaints. Words that are also common
# Indonesian or place names in Kab. Bandung are left alone: "mangga" (mango), "urug" (tanah urug), "oray"
# (Ranca Oray), "leutik" (Pasir Leutik), "nu" (NU), "ka", "ti", "ku", "can", "lain", "teh" (tea). The
# particles "mah", "atuh" and "teh" stay as they are, as the Javanese "kok" does.
SUNDANESE: dict[str, str] = {
    "teu": "tidak", "henteu": "tidak", "acan": "belum", "tacan": "belum", "tos": "sudah", "atos": "sudah",
    "parantos": "sudah", "geus": "sudah", "pisan": "sekali", "lami": "lama", "ayeuna": "sekarang",
    "kamari": "kemarin", "deui": "lagi", "keneh": "masih", "dugi": "sampai", "kuring": "saya",
    "simkuring": "saya", "kumaha": "bagaimana", "sareng": "dan", "jeung": "dan", "ieu": "ini", "eta": "itu",
    "dieu": "sini", "sanes": "bukan", "seueur": "banyak", "loba": "banyak", "tiasa": "bisa", "hoyong": "ingin",
    "janten": "jadi", "kanggo": "untuk", "punten": "permisi", "nuhun": "terima kasih", "hatur": "terima",
    "ruksak": "rusak", "pareum": "mati", "poek": "gelap", "hurung": "menyala", "ngocor": "mengalir",
    "cai": "air", "runtah": "sampah", "caah": "banjir", "liang": "lubang", "walungan": "sungai",
    "tangkal": "pohon", "rugrug": "runtuh", "imah": "rumah", "sakola": "sekolah", "gering": "sakit",
    "ubar": "obat", "artos": "uang", "pagawean": "pekerjaan", "jalanna": "jalan", "lampuna": "lampu",
    "dibenerkeun": "diperbaiki", "benerkeun": "perbaiki", "ngabenerkeun": "memperbaiki",
    "dibereskeun": "dibereskan", "poe": "hari", "sapoe": "sehari", "saminggu": "seminggu", "sabulan": "sebulan",
    "sataun": "setahun", "hiji": "satu", "tilu": "tiga", "opat": "empat", "genep": "enam", "dalapan": "delapan",
    "salapan": "sembilan", "sapuluh": "sepuluh",
}
SLANG |= SUNDANESE

# Two Sundanese words read as one ("teu acan" is "belum", not "tidak belum"; "sim kuring" is not a SIM).
SUNDANESE_PAIRS: dict[tuple[str, str], str] = {
    ("teu", "acan"): "belum", ("hatur", "nuhun"): "terima kasih", ("sim", "kuring"): "saya",
}

# Sundanese words that are also Indonesian with another sense ("lembur" is overtime, "abdi negara" a civil
# servant, "budak" a slave, Solokan Jeruk a kecamatan of Kab. Bandung): read as Sundanese only in a message
# that is Sundanese, that is one with a word of `SUNDANESE_MARKERS` or "lembur abdi" / "lembur urang"
# (my / our village).
SUNDANESE_IN_CONTEXT: dict[str, str] = {"lembur": "kampung", "abdi": "saya", "budak": "anak", "solokan": "selokan"}
SUNDANESE_MARKERS = frozenset({
    "teu", "henteu", "acan", "tacan", "tos", "atos", "parantos", "geus", "pisan", "ayeuna", "kamari", "deui",
    "keneh", "dugi", "kuring", "simkuring", "kumaha", "sareng", "jeung", "ieu", "dieu", "seueur", "tiasa",
    "hoyong", "punten", "nuhun", "ruksak", "pareum", "ngocor", "runtah", "caah", "imah", "sakola",
    "dibenerkeun", "mah", "atuh",
})
_SUNDANESE_OWNERS = frozenset({"abdi", "urang", "kuring", "simkuring", "sim"})
# "uang lembur", "jam lembur", "lembur kerja" and the like are overtime in any message.
_OVERTIME_BEFORE = frozenset({
    "uang", "jam", "upah", "gaji", "honor", "tunjangan", "biaya", "kerja", "bekerja", "bayar", "dibayar", "hari",
    "waktu", "disuruh", "dipaksa",
})
_OVERTIME_AFTER = frozenset({"kerja", "bekerja", "tiap", "setiap", "tanpa", "sampai", "hingga", "terus"})

# Plain English words of complaints -> their Indonesian twins, appended next to the English word
# ("the road is broken" -> "the road jalan is broken rusak"), so an English complaint shares
# the features of its Indonesian twin. General complaint vocabulary, not tuned on any test line.
ENGLISH: dict[str, str] = {
    "road": "jalan", "roads": "jalan", "street": "jalan", "streets": "jalan", "potholes": "lubang jalan",
    "pothole": "lubang jalan", "broken": "rusak", "damaged": "rusak", "damage": "rusak", "bridge": "jembatan",
    "bridges": "jembatan", "streetlight": "lampu jalan", "streetlights": "lampu jalan", "lights": "lampu",
    "light": "lampu", "lamp": "lampu", "traffic": "lalu lintas", "junction": "perempatan",
    "crossing": "penyeberangan", "sidewalk": "trotoar", "pavement": "trotoar", "parking": "parkir",
    "parked": "parkir", "minibus": "angkot", "signs": "rambu", "sign": "rambu", "flood": "banjir",
    "flooding": "banjir", "flooded": "banjir", "floods": "banjir", "drain": "selokan", "drains": "selokan",
    "gutter": "selokan", "sewer": "selokan", "blocked": "mampet", "clogged": "mampet",
    "overflowing": "meluap", "landslide": "longsor", "fire": "kebakaran", "burning": "terbakar",
    "tree": "pohon", "trees": "pohon", "fallen": "tumbang", "prune": "pangkas", "pruning": "pangkas",
    "branches": "dahan", "garbage": "sampah", "rubbish": "sampah", "trash": "sampah", "waste": "limbah",
    "dump": "buang", "dumping": "buang", "river": "sungai", "smoke": "asap", "smell": "bau", "smells": "bau",
    "stinks": "bau", "polluted": "tercemar", "pollution": "pencemaran", "well": "sumur", "tap": "keran",
    "water": "air", "park": "taman", "parks": "taman", "cemetery": "makam", "grave": "makam",
    "noise": "bising", "noisy": "bising", "loud": "keras", "music": "musik", "drunk": "mabuk",
    "gambling": "judi", "vendors": "pedagang", "vendor": "pedagang", "billboard": "reklame",
    "graffiti": "coretan", "tower": "menara", "dogs": "anjing", "dog": "anjing", "stray": "liar",
    "snake": "ular", "hornets": "tawon", "bees": "lebah", "fertiliser": "pupuk", "fertilizer": "pupuk",
    "farmers": "petani", "farmer": "petani", "livestock": "ternak", "cattle": "sapi", "harvest": "panen",
    "pests": "hama", "birth": "kelahiran", "certificate": "akta", "identity": "identitas", "card": "kartu",
    "family": "keluarga", "moving": "pindah", "hospital": "rumah sakit", "clinic": "puskesmas",
    "doctor": "dokter", "nurse": "perawat", "midwife": "bidan", "medicine": "obat", "patients": "pasien",
    "patient": "pasien", "school": "sekolah", "schools": "sekolah", "teacher": "guru", "teachers": "guru",
    "fee": "biaya", "fees": "biaya", "enrolment": "pendaftaran", "enrollment": "pendaftaran",
    "aid": "bantuan", "poor": "miskin", "welfare": "bansos", "wages": "upah", "wage": "upah",
    "salary": "gaji", "fired": "phk", "factory": "pabrik", "job": "kerja", "jobs": "kerja", "permit": "izin",
    "licence": "izin", "license": "izin", "tax": "pajak", "bribe": "suap", "bribes": "suap",
    "bribery": "suap", "extortion": "pungli", "corruption": "korupsi", "village": "desa",
    "officials": "perangkat", "official": "pejabat", "electricity": "listrik", "power": "listrik",
    "outage": "padam", "price": "harga", "prices": "harga", "market": "pasar", "rude": "kasar",
    "slow": "lambat", "money": "uang", "attacking": "menyerang", "attacked": "menyerang", "bit": "menggigit",
    "kids": "anak", "children": "anak", "collapse": "ambruk", "collapsed": "ambruk", "leaking": "bocor",
    "leak": "bocor",
}

# More English words, read only in an English message (some are Indonesian words too: "area", "staff"): the
# most frequent content words of our Indonesian complaint lines (nlu/data) and the plain words around them.
ENGLISH_MESSAGE: dict[str, str] = {
    "house": "rumah", "houses": "rumah", "home": "rumah", "office": "kantor", "offices": "kantor",
    "staff": "petugas", "officer": "petugas", "officers": "petugas", "employee": "pegawai",
    "employees": "pegawai", "residents": "warga", "resident": "warga", "neighbours": "tetangga",
    "neighbors": "tetangga", "neighbour": "tetangga", "neighbor": "tetangga", "neighbourhood": "lingkungan",
    "neighborhood": "lingkungan", "area": "daerah", "land": "tanah", "field": "sawah", "fields": "sawah",
    "ricefield": "sawah", "rain": "hujan", "raining": "hujan", "dark": "gelap", "night": "malam",
    "morning": "pagi", "day": "hari", "days": "hari", "week": "minggu", "weeks": "minggu", "month": "bulan",
    "months": "bulan", "year": "tahun", "years": "tahun", "never": "tidak pernah", "still": "masih",
    "again": "lagi", "always": "terus", "often": "sering", "rarely": "jarang", "wait": "menunggu",
    "waiting": "menunggu", "queue": "antrian", "queues": "antrian", "paid": "dibayar", "pay": "bayar",
    "paying": "bayar", "charge": "pungutan", "charges": "pungutan", "charged": "pungutan", "levy": "pungutan",
    "expensive": "mahal", "free": "gratis", "received": "menerima", "receive": "menerima",
    "promised": "dijanjikan", "refused": "ditolak", "rejected": "ditolak", "printed": "dicetak",
    "print": "cetak", "issued": "terbit", "processed": "diproses", "process": "mengurus",
    "collected": "diangkut", "collect": "angkut", "repaired": "diperbaiki", "repair": "perbaikan",
    "fixed": "diperbaiki", "fix": "perbaiki", "corrected": "dibetulkan", "correct": "betulkan",
    "wrong": "salah", "lost": "hilang", "missing": "hilang", "stolen": "dicuri", "cut": "putus",
    "cracked": "retak", "crack": "retak", "holes": "lubang", "hole": "lubang", "mud": "becek",
    "muddy": "becek", "dirty": "kotor", "pile": "menumpuk", "piling": "menumpuk", "dangerous": "bahaya",
    "accident": "kecelakaan", "accidents": "kecelakaan", "congestion": "macet",
    "congested": "macet", "truck": "truk", "trucks": "truk", "cars": "mobil", "car": "mobil",
    "motorbike": "motor", "motorbikes": "motor", "motorcycle": "motor",
    "passengers": "penumpang", "passenger": "penumpang", "driver": "sopir", "drivers": "sopir",
    "attendant": "jukir", "attendants": "jukir", "shop": "toko", "shops": "toko", "stall": "lapak",
    "stalls": "lapak", "traders": "pedagang", "trader": "pedagang", "sell": "jual", "selling": "jual",
    "sold": "dijual", "buy": "beli", "rice": "beras", "cylinder": "tabung", "scarce": "langka",
    "shortage": "langka", "mosque": "masjid", "building": "bangunan", "buildings": "bangunan",
    "roof": "atap", "wall": "tembok", "fence": "pagar", "pipe": "pipa", "pipes": "pipa", "canal": "saluran",
    "irrigation": "irigasi", "dam": "tanggul", "embankment": "tanggul", "dry": "kering",
    "drought": "kekeringan", "murky": "keruh", "cloudy": "keruh", "mosquitoes": "nyamuk",
    "mosquito": "nyamuk", "dengue": "demam berdarah", "disease": "penyakit",
    "sick": "sakit", "health": "kesehatan", "insurance": "bpjs", "vaccine": "vaksin", "pupils": "murid",
    "students": "siswa", "student": "siswa", "class": "kelas", "classroom": "kelas", "uniform": "seragam",
    "uniforms": "seragam", "scholarship": "beasiswa", "admission": "ppdb", "registration": "pendaftaran",
    "register": "daftar", "registered": "terdaftar", "list": "daftar",
    "application": "pengajuan", "applied": "pengajuan", "documents": "berkas", "document": "berkas",
    "file": "berkas", "letter": "surat", "letters": "surat",
    "app": "aplikasi", "system": "sistem", "elderly": "lansia", "disabled": "disabilitas",
    "disability": "disabilitas", "orphan": "yatim", "orphans": "yatim", "widow": "janda",
    "homeless": "terlantar", "abandoned": "terlantar", "mentally": "odgj", "allowance": "tunjangan",
    "pension": "pensiun", "workers": "pekerja", "worker": "pekerja", "company": "perusahaan",
    "contract": "kontrak", "severance": "pesangon", "layoff": "phk", "laid": "phk", "honorary": "honorer",
    "civil": "asn", "servant": "pegawai", "servants": "pegawai", "training": "pelatihan",
    "vacancy": "lowongan", "vacancies": "lowongan", "unemployed": "pengangguran", "loan": "pinjaman",
    "cooperative": "koperasi", "business": "usaha", "shopkeeper": "pedagang", "chickens": "ayam",
    "chicken": "ayam", "goats": "kambing", "goat": "kambing", "cow": "sapi", "cows": "sapi",
    "shed": "kandang", "seeds": "bibit", "crops": "tanaman", "paddy": "padi",
    "plants": "tanaman", "forest": "hutan", "sand": "pasir", "mining": "tambang", "quarry": "tambang",
    "burn": "bakar", "burned": "terbakar", "burnt": "terbakar",
    "exhaust": "knalpot", "speakers": "sound", "alcohol": "miras", "liquor": "miras", "brawl": "tawuran",
    "fight": "tawuran", "thugs": "preman", "thug": "preman", "broker": "calo",
    "brokers": "calo", "middleman": "calo", "illegal": "liar", "unlicensed": "liar", "wild": "liar",
    "marriage": "nikah", "divorce": "cerai", "death": "kematian", "died": "meninggal", "dead": "mati",
    "baby": "bayi", "husband": "suami", "wife": "istri", "violence": "kekerasan", "abuse": "kekerasan",
    "beaten": "dipukul", "beating": "dipukul", "harassment": "pelecehan", "tourist": "wisata",
    "tourism": "wisata", "sports": "olahraga", "stadium": "stadion", "football": "sepak bola",
    "permits": "izin", "approval": "persetujuan", "boarding": "kos", "cemeteries": "makam",
    "graves": "makam", "funeral": "pemakaman", "monkeys": "monyet", "monkey": "monyet",
    "rats": "tikus", "rat": "tikus", "wells": "sumur", "tank": "tangki", "bill": "tagihan",
    "bills": "tagihan", "arrears": "tunggakan", "budget": "anggaran", "funds": "dana", "fund": "dana",
    "project": "proyek", "contractor": "kontraktor", "poorly": "asal", "unfinished": "mangkrak",
    "stalled": "mangkrak", "transparent": "transparan", "fake": "fiktif",
    "cheated": "ditipu", "fraud": "penipuan", "scam": "penipuan",
    "deed": "sertifikat", "hamlet": "dusun", "regency": "kabupaten",
    "district": "kecamatan", "subdistrict": "kecamatan", "province": "provinsi", "provincial": "provinsi",
    "national": "nasional", "toll": "tol", "highway": "jalan raya", "lane": "gang", "alley": "gang",
    "bend": "tikungan", "curve": "tikungan", "intersection": "simpang", "crossroads": "perempatan",
    "hump": "polisi tidur", "humps": "polisi tidur", "asphalt": "aspal",
    "worn": "rusak", "faded": "pudar", "markings": "marka", "marking": "marka", "cable": "kabel",
    "cables": "kabel", "wires": "kabel", "wire": "kabel", "pole": "tiang", "poles": "tiang",
    "signal": "sinyal", "blackout": "padam", "off": "mati",
    "working": "berfungsi", "function": "berfungsi", "flowing": "mengalir",
    "flow": "mengalir", "supply": "pasokan", "treat": "merawat", "treated": "dilayani",
    "served": "dilayani", "service": "pelayanan", "services": "pelayanan", "ignored": "dibiarkan",
    "nobody": "tidak ada", "complicated": "dipersulit", "difficult": "susah", "hard": "susah",
    "asked": "diminta", "demanded": "dimintai", "forced": "dipaksa", "threatened": "diancam",
    "deducted": "dipotong", "reduced": "dikurangi", "quota": "kuota",
    "subsidy": "subsidi", "subsidised": "subsidi", "subsidized": "subsidi", "cash": "tunai",
    "please": "tolong", "near": "dekat", "big": "besar", "large": "besar", "small": "kecil", "front": "depan",
    "behind": "belakang", "beside": "samping", "next": "sebelah", "every": "setiap", "new": "baru", "old": "lama",
    "send": "kirim", "need": "butuh", "answer": "jawab", "answers": "jawab", "answered": "dijawab",
    "report": "lapor", "reported": "lapor", "complain": "lapor", "complained": "lapor", "yet": "belum",
    "badly": "parah", "bad": "buruk", "worse": "makin parah", "worst": "paling parah", "deep": "dalam",
    "many": "banyak", "lots": "banyak", "elementary": "sd", "primary": "sd", "hall": "balai",
    "housing": "perumahan", "estate": "perumahan", "overflows": "meluap", "overflow": "meluap",
    "overflowed": "meluap", "rains": "hujan", "rained": "hujan",
    "complaint": "aduan", "complaints": "aduan", "anonymous": "anonim", "anonymously": "anonim",
    "without": "tanpa", "name": "nama", "contact": "hubungi", "handles": "menangani", "handle": "menangani",
    "handled": "ditangani", "collection": "pengangkutan", "reply": "balasan", "replied": "membalas",
    "cost": "biaya", "costs": "biaya", "requirements": "syarat", "requirement": "syarat", "hours": "jam",
    "open": "buka", "opening": "buka", "until": "sampai", "how": "bagaimana cara", "what": "apa", "who": "siapa",
    "where": "dimana", "when": "kapan", "why": "kenapa", "can": "bisa", "long": "lama",
    "grant": "bantuan", "assistance": "bantuan", "food": "makanan", "fell": "roboh", "falling": "jatuh",
    "shaking": "goyang", "want": "mau", "wants": "mau", "not": "tidak", "check": "cek", "track": "cek",
    "secret": "rahasia", "hidden": "dirahasiakan", "identity": "identitas", "status": "status",
    "progress": "perkembangan", "difference": "beda", "between": "antara", "confidential": "rahasia",
    "what's": "apa", "translate": "terjemahkan",
}

# English two-word names of things (both words kept, the Indonesian name appended after the second):
# "health centre" -> "health centre puskesmas".
ENGLISH_PAIRS: dict[tuple[str, str], str] = {
    ("health", "centre"): "puskesmas", ("health", "center"): "puskesmas", ("social", "aid"): "bansos",
    ("social", "assistance"): "bansos", ("id", "card"): "ktp", ("identity", "card"): "ktp",
    ("family", "card"): "kartu keluarga", ("birth", "certificate"): "akta kelahiran",
    ("death", "certificate"): "akta kematian", ("tap", "water"): "air pdam", ("water", "company"): "pdam",
    ("fire", "brigade"): "pemadam kebakaran", ("fire", "department"): "pemadam kebakaran",
    ("building", "fee"): "uang gedung", ("school", "fee"): "uang sekolah", ("school", "fees"): "uang sekolah",
    ("traffic", "light"): "lampu lalu lintas", ("traffic", "lights"): "lampu lalu lintas",
    ("street", "light"): "lampu jalan", ("street", "lights"): "lampu jalan", ("street", "lamp"): "lampu jalan",
    ("power", "line"): "kabel listrik", ("power", "lines"): "kabel listrik", ("speed", "bump"): "polisi tidur",
    ("speed", "bumps"): "polisi tidur", ("zebra", "crossing"): "zebra cross", ("not", "working"): "tidak berfungsi",
    ("not", "paid"): "belum dibayar", ("no", "water"): "air mati", ("village", "office"): "kantor desa",
    ("village", "head"): "kepala desa", ("land", "certificate"): "sertifikat tanah",
    ("building", "permit"): "pbg imb", ("business", "permit"): "izin usaha", ("mental", "illness"): "odgj",
    ("civil", "servant"): "asn pns", ("civil", "servants"): "asn pns", ("rice", "field"): "sawah",
    ("rice", "fields"): "sawah", ("fire", "hydrant"): "hidran", ("public", "toilet"): "toilet umum",
    ("traffic", "jam"): "macet", ("how", "long"): "berapa lama", ("how", "much"): "berapa",
}

# English words that carry no complaint, left out of an English message ("the road is broken" is read as
# "road jalan broken rusak"), so the words that matter weigh as much as in its Indonesian twin. Question words
# and auxiliaries stay: they tell a question ("how do I ...") from a report.
_ENGLISH_FUNCTION = frozenset(
    "the a an is are was were be been being am it its this that these those my our your his her their "
    "of to in on at by for from with into onto about as and or but so than then there here has have had "
    "i we you he she they me us them very just also too some any all get gets getting got keep keeps kept".split())

_REPEAT = re.compile(r"([a-z])\1{2,}")
_REDUP = re.compile(r"\b([a-z]{2,})2\b")  # "jalan2" -> "jalan jalan"
# "everywhere" ("lalat dimana2", "sampah di mana-mana"): read as "many", not as the question word twice that
# pulled a market complaint to the FAQs (thirty-second trial)
_EXCUSE_ME = re.compile(r"\bnyuwun\s+sewu\b")  # "excuse me" in krama, not "a thousand"
_EVERYWHERE = re.compile(r"\b(?:di\s?mana|dmn)(?:2|-mana|\s+mana)\b")
_TICKET = re.compile(r"\b[a-z]{2,5}-\d{4}-\d{3,6}\b")
_NIK = re.compile(r"\b\d{16}\b")
# "-7.4705, 112.4401 jalan ambles di sini": a pin typed or pasted says where, not what (thirty-ninth trial: its digits
# put the road at 0.50, beside websites and buses); the dialogue keeps it as the place
# (four decimals or more: "harga naik dari 12.000, 15.000" is prices)
_COORDINATES = re.compile(r"(?<![\d.])-?\d{1,2}\.\d{4,}\s*[,;]\s*-?\d{1,3}\.\d{4,}(?![\d.])")
_PHONE = re.compile(r"(?<!\d)(?:\+?62|0)8\d{7,11}(?!\d)")
_NUMBER = re.compile(r"\d+")
_TOKEN = re.compile(r"[a-z0-9_]+(?:[-'][a-z0-9_]+)*")


# "lampu merah" (traffic lights) is also how residents name a junction: "pengemis di lampu merah", "jalan pas
# lampu merah berlubang", "perempatan lampu merah Bukateja". After a word of place, and with no word of a failing
# or missing light in the four words after it, it is read as a landmark (`LANDMARK`, a word no topic is trained
# on), so the junction does not pull the report to the traffic lights.
_LANDMARK_BEFORE = frozenset(
    "di pas dekat deket depan dari sampai sampe hingga ke arah sebelum setelah sesudah lewat melewati perempatan "
    "pertigaan simpang sebelah samping utara selatan timur barat tepatnya tepate lokasi menuju antara setiap tiap "
    "seputar sekitar area kawasan".split())
_LIGHT_FAILING = frozenset(
    "mati padam rusak error eror nyala menyala hidup kedip berkedip berfungsi fungsi durasi lama kelamaan terlalu "
    "cepat singkat timer countdown hitung miring roboh tumbang lepas tertutup tutup pangkas warna hijau kuning "
    "sensor bareng bersamaan barengan konslet korslet pasang dipasang".split())
LANDMARK = "patokanlokasi"


def _landmarks(words: list[str]) -> list[str]:
    """`words` with each "lampu merah" that names a place read as `LANDMARK`."""
    out: list[str] = []
    i = 0
    while i < len(words):
        if (words[i] == "lampu" and i + 1 < len(words) and words[i + 1] == "merah" and i > 0
                and out and out[-1] in _LANDMARK_BEFORE
                and not _LIGHT_FAILING.intersection(words[i + 2:i + 6])):
            out.append(LANDMARK)
            i += 2
            continue
        out.append(words[i])
        i += 1
    return out


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _javanese_affixed(token: str, table: dict[str, str]) -> str | None:
    """A word of the table under a Javanese suffix: krama "-ipun"/"-nipun" ("toyanipun" -> "air"), "-ku"
    ("omahku" -> "rumah saya") and "-e" ("wite" -> "pohon"). Only words of the table: Indonesian
    "kamipun" (kami + pun) must stay as it is."""
    for suffix in ("nipun", "ipun"):
        if token.endswith(suffix) and token[: -len(suffix)] in table:
            return table[token[: -len(suffix)]]
    if token.endswith("ku") and len(token) > 5 and token[:-2] in table:
        return f"{table[token[:-2]]} saya"
    if token.endswith("e") and len(token) > 4 and token[:-1] in table:
        return table[token[:-1]]
    return None


def _sundanese_affixed(token: str, table: dict[str, str]) -> str | None:
    """A word of the table under the Sundanese suffix "-na" ("caina" -> "air", "imahna" -> "rumah")."""
    if token.endswith("na") and len(token) > 4 and token[:-2] in table:
        return table[token[:-2]]
    return None


def _is_sundanese(tokens: list[str]) -> bool:
    return any(t in SUNDANESE_MARKERS for t in tokens) or any(
        a == "lembur" and b in _SUNDANESE_OWNERS for a, b in zip(tokens, tokens[1:], strict=False))


# Words that say a message is English without being left out of it: question words and auxiliaries carry
# its meaning ("can I complain anonymously?" has a single function word).
_ENGLISH_CUES = frozenset(
    "can could do does did will would should how what who whom whose when where why which please not "
    "don't doesn't didn't can't won't isn't aren't i'm it's what's".split())


# Cues left out of the reading: they carry no topic and Indonesian has no word for them.
_ENGLISH_SILENT = frozenset("do does did will would should don't doesn't didn't won't i'm it's".split())


_ENGLISH_OPENERS = frozenset("who what what's how where when why which can could do does is are will".split())


def _is_english(tokens: list[str]) -> bool:
    """At least two English function words or cues, a sixth of the words or more; or an English question
    word first and most other words English ("who handles garbage collection?")."""
    function = sum(t in _ENGLISH_FUNCTION or t in _ENGLISH_CUES for t in tokens)
    if function >= 2 and function * 6 >= len(tokens):
        return True
    if len(tokens) < 3 or tokens[0] not in _ENGLISH_OPENERS:
        return False
    known = sum(t in _ENGLISH_FUNCTION or t in _ENGLISH_CUES or t in ENGLISH or t in ENGLISH_MESSAGE
                for t in tokens[1:])
    return known * 3 >= 2 * (len(tokens) - 1)


def _english_read(tokens: list[str]) -> list[str]:
    """An English message's words in Indonesian where we know them ("the road is broken" -> "jalan rusak"), its
    function words left out, a two-word name read as one ("health centre" -> "puskesmas")."""
    chunks: list[list[str]] = []
    for i, token in enumerate(tokens):
        pair = ENGLISH_PAIRS.get((tokens[i - 1], token)) if i > 0 else None
        if pair is not None and chunks and tokens[i - 1] not in _ENGLISH_FUNCTION:
            chunks[-1] = pair.split()
        elif token in ENGLISH or token in ENGLISH_MESSAGE:
            chunks.append((ENGLISH.get(token) or ENGLISH_MESSAGE[token]).split())
        elif token not in _ENGLISH_FUNCTION and token not in _ENGLISH_SILENT:
            chunks.append([token])
    return [word for chunk in chunks for word in chunk]


def _in_context(tokens: list[str], i: int, table: dict[str, str]) -> str | None:
    """The Sundanese reading of `SUNDANESE_IN_CONTEXT` word `tokens[i]` of a Sundanese message, or None
    where the word is Indonesian there ("uang lembur", "lembur kerja": overtime)."""
    token = tokens[i]
    if token == "lembur":
        before = table.get(tokens[i - 1], tokens[i - 1]) if i > 0 else ""
        after = table.get(tokens[i + 1], tokens[i + 1]) if i + 1 < len(tokens) else ""
        if before in _OVERTIME_BEFORE or after in _OVERTIME_AFTER:
            return None
    return SUNDANESE_IN_CONTEXT[token]


def normalise(text: str, slang: dict[str, str] | None = None) -> str:
    """Normalised text for featurisation (never shown to anyone)."""
    table = SLANG if slang is None else slang
    text = _strip_accents((text or "").lower())
    text = _COORDINATES.sub(" ", text)
    text = _TICKET.sub(" nomortiket ", text)
    text = _NIK.sub(" nomornik ", text)
    text = _PHONE.sub(" nomortelepon ", text)
    text = _EVERYWHERE.sub(" banyak merata ", text)
    text = _EXCUSE_ME.sub(" permisi ", text)
    text = _REDUP.sub(r"\1 \1", text)
    text = _NUMBER.sub(lambda m: " angka " if len(m.group(0)) > 2 else f" {m.group(0)} ", text)
    text = _REPEAT.sub(r"\1", text)
    tokens = _TOKEN.findall(text)
    if _is_english(tokens):
        tokens = _english_read(tokens)
    sundanese = _is_sundanese(tokens)
    out: list[str] = []
    skip = False
    for i, token in enumerate(tokens):
        if skip:
            skip = False
            continue
        pair = SUNDANESE_PAIRS.get((token, tokens[i + 1])) if i + 1 < len(tokens) else None
        if pair is not None:
            out.append(pair)
            skip = True
            continue
        english = ENGLISH_PAIRS.get((token, tokens[i + 1])) if i + 1 < len(tokens) else None
        if english is not None:
            # "street light broken", too short to be read as English: the two words are one thing ("lampu jalan"),
            # not "jalan" and "lampu" apart (thirty-second trial: routed to the traffic lights at 0.99)
            out.append(f"{token} {tokens[i + 1]} {english}")
            skip = True
            continue
        mapped = _in_context(tokens, i, table) if sundanese and token in SUNDANESE_IN_CONTEXT else None
        if mapped is None:
            mapped = table.get(token)
        if mapped is None and token.endswith("ne") and len(token) > 5 and token[:-2] in table:
            mapped = table[token[:-2]]  # Javanese possessive: "dalane" -> "dalan" -> "jalan"
        if mapped is None:
            mapped = _javanese_affixed(token, table) or _sundanese_affixed(token, table)
        if mapped is None and token in ENGLISH:
            mapped = f"{token} {ENGLISH[token]}"
        out.append(mapped if mapped is not None else token)
    return " ".join(_landmarks(" ".join(out).split()))
