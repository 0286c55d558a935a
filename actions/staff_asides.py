"""Staff words that are about a reporter or the work, not words for the reporter (nineteenth trial). Each of these
used to be offered with one tap as an answer to the reporter who wrote last:

- "nomor hp pelapor WRG-2612-0001 berapa? mau saya telpon": the reporter's number is not shown (the privacy FAQ
  promises it is used only to follow the complaint up, in this chat); asking them for a call is offered instead.
- "maaf tadi salah kirim balasan ke pelapor, bisa dihapus?": a sent answer cannot be taken back from the
  resident's chat app; a correction is offered.
- "saya cuti minggu depan, aduan saya siapa yang pegang?": who else of the office is enrolled, and how to hand
  complaints over (the desk's assignment, or a colleague's "saya ambil WRG-…").
"""

from __future__ import annotations

import re

from actions import understand as u
from actions.base import Button, Reply, Turn, find_ticket_number
from actions.common import LAST_IN_KEY, staff_label
from actions.resident import example_number
from bot.store.base import JOB_DEAD, JOB_PENDING, ROLE_OFFICER, ROLE_OPERATOR, ROLE_REGENT

ASIDE_WORDS = 25
# the reporter spoken of, not to: "pelapor", "pelapornya", "warga yang lapor"
_OF_REPORTER = r"(?:pelapor(?:nya)?|warga\s+(?:yang|yg)\s+(?:lapor|melapor|mengadu)|the\s+reporter|reporter'?s)"
_CONTACT = re.compile(
    r"\b(?:nomor|nomer|no|nmr|kontak|hp|wa|whatsapp|telp|telpon|telepon|alamat|phone|number|contact)\b(?:\s+\S+){0,3}?"
    # ("pelapornya siapa ya? minta nomor hp nya": thirty-ninth trial, the help)
    rf"\s+{_OF_REPORTER}\b|\b{_OF_REPORTER}\s+(?:\S+\s+){{0,4}}?(?:nomor|nomer|no|hp|wa|kontak|telp\w*|phone|number)"
    # "pelapor minta ditelepon, nomornya berapa?" (thirty-fourth trial: offered to the reporter as the answer)
    r"(?:nya)?\b"
    # "tolong hubungkan saya dengan pelapor", "connect me with the reporter" (thirty-second trial: offered to the
    # reporter as words)
    rf"|\b(?:hubungkan|sambungkan|hubungin|sambungin|connect|put)\s+(?:saya\s+|me\s+)?(?:\S+\s+)?(?:dengan|dgn|sama|ke|"
    rf"with|to|through\s+to)\s+{_OF_REPORTER}\b"
    # "pelapornya bisa dihubungi gak?", "gimana cara menghubungi pelapor?" (thirty-sixth trial: the help), "pelapor
    # WRG-… bisa dihubungi gak?" (thirty-seventh: its card)
    # (not "pelapor tidak bisa dihubungi, tutup saja": an officer's reason to close)
    rf"|\b{_OF_REPORTER}\s+(?:(?:tiket\s+|aduan\s+)?wrg-[\d-]+\s+)?(?:bisa\s+|dapat\s+|boleh\s+)?(?:dihubungi|ditelepon|ditelpon|ditelfon|dikontak|dichat|"
    rf"dihubungin)\b"
    rf"|\b(?:menghubungi|hubungi|kontak|nelpon|menelepon|contact|call|reach)\s+{_OF_REPORTER}\b")
# "pelapor minta nomor saya, boleh dikasih?", "boleh saya kasih nomor hp saya ke pelapor?": the officer's own number
_OWN_NUMBER_ASKED = re.compile(
    rf"\b{_OF_REPORTER}\s+(?:minta|tanya|nanya|meminta|menanyakan|asks?\s+for|wants?)\s+(?:\S+\s+)?(?:nomor|nomer|no|"
    r"hp|wa|kontak|number|contact)\s+(?:hp\s+|wa\s+)?(?:saya|sy|kami|aku|my)\b"
    rf"|\b(?:kasih|beri|berikan|kasihkan|kirim|share|give)\s+(?:\S+\s+)?(?:nomor|nomer|no|hp|wa|kontak|number)\s+"
    rf"(?:hp\s+|wa\s+)?(?:saya|sy|kami|aku|my)\s+(?:ke|kepada|sama|to)\s+{_OF_REPORTER}")
_RETRACT = re.compile(
    r"\b(?:hapus|dihapus|hapuskan|menghapus|tarik|ditarik|menarik|batalkan|dibatalkan|batalin|delete|deleted|unsend|"
    r"retract|recall)\b(?:\s+\S+){0,4}?\s+(?:pesan|balasan|kiriman|chat|jawaban|message|reply|answer)\b"
    r"|\b(?:pesan|balasan|jawaban|message|reply)\w*\s+(?:\S+\s+){0,4}?(?:dihapus|ditarik|dibatalkan|deleted|unsent)\b"
    r"|\bsalah\s+kirim\b.*\b(?:hapus|dihapus|tarik|ditarik|batal\w*)\b")
# "hapus aduan spam ini WRG-…", "ini aduan iseng pak, bisa dihapus?": a complaint to delete, which is never done
# (thirty-third trial: the ticket's card was shown)
_DELETE_TICKET = re.compile(
    r"\b(?:hapus|dihapus|hapuskan|menghapus|apus|diapus|buang|dibuang|delete|remove)\b(?:\s+\S+){0,3}?\s+(?:aduan|tiket|"
    r"laporan|pengaduan|complaint|ticket|report)\w*\b"
    r"|\b(?:aduan|tiket|laporan|pengaduan|complaint|ticket|report)\w*\s+(?:\S+\s+){0,5}?(?:dihapus|diapus|dibuang|deleted|"
    r"removed)\b"
    r"|\b(?:spam|iseng|hoaks|hoax|prank|palsu|fake|main-main)\b.{0,40}\b(?:hapus|dihapus|delete|buang|dibuang)\b")
# "ada aduan yang belum dibaca?", "tiket yang belum diambil mana saja?" (thirty-third trial: the help)
_UNREAD = re.compile(r"\b(?:aduan|tiket|laporan|complaints?|tickets?)\w*\s+(?:yang\s+|yg\s+|sing\s+)?(?:belum|blm|"
                     r"durung|dereng|not\s+yet)\s+(?:dibaca|dibuka|diambil|dipegang|ditanggapi|direspon|dibalas|read|opened|"
                     # "tiket sing durung digarap opo wae?" (fortieth trial: offered to the reporter as words)
                     r"taken|answered|digarap|ditangani|dikerjakan|diproses|diwaca|handled)\b")
_UNCLAIMED = re.compile(r"\b(?:belum|blm|not\s+yet)\s+(?:ada\s+(?:yang|yg)\s+)?(?:diambil|dipegang|taken|ambil|"
                        r"pegang)\b")
_LEAVE = re.compile(
    r"\b(?:cuti|libur|izin|ijin|dinas\s+luar|diklat|pelatihan|sakit|pindah\s+tugas|mutasi|on\s+leave|away|"
    r"holiday|vacation)\b.*\b(?:aduan|tiket|laporan|siapa|pegang|megang|handle|gantikan|ganti|complaints?|tickets?)\b"
    # "tolong WRG-… dilimpahkan ke teman saya saja, saya cuti" (forty-second trial: offered to the reporter)
    r"|\b(?:limpahkan|dilimpahkan|limpahin|dilimpahin|serahkan|diserahkan|oper|dioper|operkan|alihkan|dialihkan|"
    r"pindahkan|dipindahkan|handover|hand\s+over)\s+(?:\S+\s+){0,2}?(?:ke|kepada|to)\s+(?:\S+\s+){0,1}?(?:teman|rekan|"
    r"kawan|petugas\s+lain|colleague)\b.*\b(?:cuti|libur|izin|ijin|dinas\s+luar|diklat|pelatihan|sakit|on\s+leave|away|"
    r"holiday|vacation)\b")


# "saya sudah tidak di dinas pupr, pindah ke dishub", "saya dimutasi ke bappeda", "saya pensiun bulan ini", "I've been
# transferred to another office": an officer whose access should go (thirty-first trial: offered to the reporters)
_MOVED_OUT = re.compile(
    r"\b(?:saya|sy|aku|gue|gw)\s+(?:sudah\s+|sdh\s+|udah\s+|udh\s+|baru\s+|mulai\s+\S+\s+)?(?:pindah\s+(?:ke|tugas|kerja|kantor)|"
    r"dipindah\w*|dimutasi|mutasi\s+ke|pensiun|purna\s+tugas|resign|berhenti|keluar\s+dari|tidak\s+(?:di|bertugas\s+di|"
    r"kerja\s+di)\s+\S+(?:\s+\S+)?\s+lagi|(?:sudah|udah|sdh)\s+tidak\s+(?:di|bertugas\s+di|kerja\s+di))\b"
    r"|\bi(?:'ve|\s+have)?\s+(?:been\s+)?(?:moved|transferred|retired|left|resigned)\b")
MOVED_OUT_WORDS = 20
NEW_PHONE_WORDS = 14
_REPORTER_NAMED = re.compile(r"\b(?:pelapor\w*|warga|reporter|resident)\b")


# The operator's "ubah rute topik lampu jalan ke disperkim", "semua aduan lampu jalan mulai sekarang ke disperkim": a
# topic's route, which is changed in content/directory.yml (thirty-fifth trial: a complaint in triage was offered
# to Disperkim)
TOPIC_ROUTE = re.compile(r"\b(?:rute|routing|arah|tujuan)\s+(?:topik|kategori)\b|"
                         r"\b(?:topik|kategori)\s+\S+(?:\s+\S+)?\s+(?:\S+\s+)?(?:ke|kepada|to)\b|\bmulai\s+(?:sekarang|besok|hari\s+ini)\b|\bseterusnya\b|"
                         r"\bfrom\s+now\s+on\b")
# "saya ganti hp, akun saya gimana?", "hp saya hilang", "I have a new phone": staff whose access should move to a new
# account (thirty-fifth trial: offered to two reporters as the answer)
_NEW_PHONE = re.compile(r"\b(?:ganti|gonta\s+ganti|pindah|beli)\s+(?:hp|handphone|ponsel|nomor|nomer|no\s+hp|akun|"
                        r"telegram|wa|whatsapp|sim\s*card)\b|\b(?:hp|ponsel|handphone)\s+(?:saya\s+|sy\s+)?(?:baru|hilang|"
                        r"rusak|dicuri|kecopetan)\b|\bnomor\s+(?:hp\s+|wa\s+)?baru\b|\b(?:new|lost\s+my)\s+phone\b|"
                        r"\bnew\s+(?:number|account)\b")
# "kenapa bot ini lama sekali balasnya", "the bot is slow": the service itself, which the operators look after
_BOT_SLOW = re.compile(r"\b(?:bot|botnya|chatbot|sistem|sistemnya|server|servernya)\b.*\b(?:lama|lambat|lemot|error|"
                       r"eror|macet|hang|gangguan|ngadat|down|slow|broken)\b"
                       r"|\b(?:lama|lambat|lemot|slow)\b.*\b(?:bot|botnya|chatbot|sistem|sistemnya|server)\b")
# "siapa yang balas aduan saya tadi?", "who replied to the reporter?": a colleague's answer asked after (thirty-fifth
# trial: offered to the reporter as an answer); the complaint's history says who wrote what
_WHO_REPLIED = re.compile(r"\bsiapa\s+(?:\S+\s+)?(?:yang|yg)\s+(?:balas|membalas|bales|jawab|menjawab|tanggapi|"
                          r"menanggapi|kirim\s+balasan)\b|\bwho\s+(?:replied|answered|responded|wrote)\b")
# "kapan batas waktu aduan jalan sooko?", "WRG-… deadlinenya kapan?" (fortieth trial: offered to the reporter as words)
_DEADLINE_OF = re.compile(r"\b(?:batas\s+waktu\w*|tenggat\w*|deadline\w*|jatuh\s+tempo\w*|due)\b")
# "lho kok pu2 yang balas? kan saya yang ambil", "why did someone else answer my ticket?" (fortieth trial: offered
# to the reporter as the answer): a colleague answered a ticket this officer holds
_COLLEAGUE_REPLIED = re.compile(r"\b(?:kok|koq|kenapa|knp|mengapa|lho|loh)\b(?:\s+\S+){0,3}?\s+(?:yang|yg)\s+"
                                r"(?:balas|bales|membalas|jawab|menjawab|tanggapi|menanggapi|jawabin|balesin)\b"
                                r"|\bwhy\s+did\s+(?:\S+\s+){1,3}?(?:reply|answer|respond)\b")
# The regent's "saya mau lihat peta aduan", "where is the map of complaints?": the desk's map (thirty-fifth trial: the
# help)
_MAP = re.compile(r"\b(?:peta|map|maps|sebaran|persebaran)\b")
_MAP_WISH = re.compile(r"\b(?:lihat|liat|melihat|buka|membuka|mana|tampilkan|tunjukkan|mau|ingin|pengen|minta|ada|"
                       r"show|see|view|open|where|want)\b")
# "tolong umumkan ke semua warga bahwa kantor tutup besok", "broadcast to all residents": a message to everyone, which
# the service does not send (thirty-fifth trial: the help)
# "kirim pengumuman ke semua petugas: …", "tolong kabari seluruh staf dinas bahwa …", "tell all officers …"
_TO_ALL_STAFF = re.compile(r"\b(?:kirim\w*|sampaikan|umumkan|umumin|pengumuman|info\w*|beritahu\w*|beri\s+tahu|"
                           r"kabari\w*|"
                           r"broadcast|tell|announce\w*|notify)\b.*\b(?:semua|seluruh|setiap|tiap|all|every)\s+"
                           r"(?:petugas|staf|staff|pegawai|admin|dinas|opd|officers?|agenc(?:y|ies))\b")
# "kirim ucapan terima kasih ke semua petugas yang sudah bekerja keras": the notice it asks for is "Ucapan terima
# kasih kepada semua petugas yang sudah bekerja keras" (thirty-eighth trial: sent with "kirim" and all)
_SEND_TO_ALL = re.compile(r"^(?:(?:tolong|mohon|minta|pls|please|coba)\s+)?(?:kirim\w*|sampaikan|kabarkan|umumkan)\s+"
                          r"(?P<what>.+?)\s+(?:ke|kepada|untuk|buat)\s+(?P<who>(?:semua|seluruh)\s+.+)$", re.I)


def _as_notice(text: str) -> str:
    found = _SEND_TO_ALL.match(" ".join(text.split()).strip(" .!"))
    if found is None or found.group("what").lower() in ("pengumuman", "info", "informasi", "pesan", "kabar"):
        return text  # (nothing said but that there is one)
    what = found.group("what")
    return f"{what[:1].upper()}{what[1:]} kepada {found.group('who')}."


_BROADCAST = re.compile(r"\b(?:umumkan|umumin|mengumumkan|diumumkan|pengumuman|broadcast|siarkan|menyiarkan|blast|"
                        r"sebarkan|menyebarkan|announce\w*)\b.*\b(?:semua|seluruh|warga|masyarakat|pelapor|"
                        r"everyone|everybody|all|residents|citizens)\b"
                        r"|\b(?:kirim|kirimkan|send)\s+(?:\S+\s+)?(?:ke|kepada|to)\s+(?:semua|seluruh|all)\s+"
                        r"(?:warga|pelapor|masyarakat|residents|users)\b")


# "siapa yang lapor jalan di sooko?", "siapa pelapornya?", "who reported the street light?": that complaint's details,
# whose reporter line shows what its privacy allows (twenty-eighth trial: offered as an answer to that reporter)
_WHO_REPORTED = re.compile(r"\bsiapa\s+(?:yang|yg)\s+(?:lapor|melapor|melaporkan|ngelapor|mengadu|ngadu|mengadukan)\b"
                           r"|\bsiapa\s+(?:nama\s+)?pelapor(?:nya)?\b|\bwho\s+(?:reported|filed|complained|sent)\b"
                           # "pelapornya siapa ya? minta nomor hp nya" (thirty-ninth trial: the help)
                           r"|^(?:\S+\s+)?pelapor(?:nya)?\s+(?:itu\s+|ini\s+|tiket\s+ini\s+)?siapa\b")


# The operator's "kode untuk petugas dlh dong", "minta kode pendaftaran buat staf dinsos", "invite code for DLH": that
# office's enrolment code, as /undang gives it (twenty-eighth trial: "not sent" and the help)
_INVITE_CODE = re.compile(r"\bkode\b(?:\s+\S+){0,2}?\s+(?:untuk|buat|bagi|utk|for)\b|\b(?:invite|invitation|"
                          r"enrol\w*|registration)\s+codes?\b"
                          # "petugas dinsos belum ada yang daftar, tolong buatkan kodenya" (forty-second trial: "not
                          # sent to anyone" and the help)
                          r"|\b(?:buatkan|bikinkan|bikinin|buatin|kirimkan|kirimin|minta|berikan|kasih)\s+(?:kode|"
                          r"kodenya|kode\s+daftar\w*|kode\s+pendaftaran\w*)\b")


# "tutup semua tiket yang sudah selesai", "close all my tickets": closed one by one, each reporter told
_BULK_CLOSE = re.compile(r"\b(?:tutup|tutupkan|selesaikan|close|resolve)\s+(?:semua|seluruh|all)\s+(?:\S+\s+)?"
                         r"(?:aduan|tiket|laporan|complaints?|tickets?)\w*\b"
                         r"|\b(?:semua|seluruh)\s+(?:aduan|tiket|laporan)\w*\s+(?:\S+\s+){0,4}?(?:ditutup|diselesaikan|"
                         r"tutup|selesaikan)\b")
# "tolong ingatkan saya besok soal aduan ini", "remind me tomorrow": a personal reminder, which the service does not
# keep (its queue and the deadline reminders do that work)
_REMIND_ME = re.compile(r"\b(?:ingatkan|ingetin|ingatin|ingetkan|remind)\s+(?:saya|aku|sy|me|kami|us)\b")


# "foto sesudah perbaikan saya kirim lewat mana?", "gimana cara kirim foto ke pelapor?", "how do I attach a photo?"
_PHOTO = re.compile(r"\b(?:foto\w*|gambar\w*|photos?|pictures?|pics?|dokumentasi)\b")
_NOTIFY_OFF = re.compile(r"\b(?:matikan|mematikan|dimatikan|nonaktifkan|menonaktifkan|hentikan|stop|mute|bisukan|"
                         r"turn\s+off|disable|switch\s+off)\s+(?:semua\s+|all\s+)?(?:notif\w*|pemberitahuan|"
                         r"peringatan|notifications?|alerts?)\b")
_TO_REPORTER = re.compile(r"\b(?:ke|kepada|buat|untuk|to)\s+(?:pelapor\w*|warga|reporter|resident)\b")
_SEND = re.compile(r"\b(?:kirim\w*|dikirim|ngirim|lampir\w*|upload|unggah\w*|send|attach\w*|share)\b")


# The operator's "bot nya error gak ya? cek status sistem", "wa nya lagi gangguan?", "is the service down?"
_SYSTEM = re.compile(r"\b(?:error|eror|err|down|mati|macet|hang|lemot|lambat|gangguan|bermasalah|status|sehat|"
                     # "server aman?", "bot lancar?" (forty-second trial: "not sent to anyone" and the help)
                     r"aman|lancar|baik\s+baik|health|normal|working|broken|slow|"
                     # "tolong cek apakah lapor.go.id tersambung" (thirty-fifth trial: the help)
                     r"tersambung|terhubung|nyambung|konek|connected|connection|koneksi|online|offline)\b"
                     # "bot tidak membalas di whatsapp, kenapa ya?" (thirty-fourth trial: the help)
                     r"|\b(?:tidak|tdk|gak|ga|nggak|ngga|enggak|belum|not|doesn'?t|isn'?t)\s+(?:bisa\s+)?(?:membalas|balas|bales|"
                     r"merespon|merespons|respon|respons|jalan|berjalan|masuk|terkirim|nyambung|reply|replying|respond\w*|"
                     r"answer\w*)\b")
# the operator's "ada error apa hari ini?", "any errors today?" (forty-first trial: "not sent to anyone" and the help)
_ERRORS_ASKED = re.compile(r"\b(?:ada|any|apa|berapa)\s+(?:\S+\s+)?(?:error|errors|eror|galat|crash\w*|kegagalan)\b")
SYSTEM_BARE_WORDS = 3  # "status sistem", "system status": asked without a question mark
_SERVICE = re.compile(r"\b(?:bot\w*|sistem\w*|system|layanan\w*|service|server|aplikasi|app|wa|whatsapp|telegram|"
                      r"sms|lapor|kiriman|pesan\s+keluar|outbox)\b")

# "ada pesan yang gagal terkirim?", "kiriman yang nyangkut berapa?", "any failed messages?" (twenty-seventh trial: "not
# sent to anyone" and the help)
_UNSENT = re.compile(r"\b(?:pesan|kiriman|notifikasi|balasan|messages?|deliveries|notifications?)\w*\s+(?:\S+\s+)?"
                     r"(?:gagal|tertunda|nyangkut|tersangkut|belum|failed|stuck|pending|undelivered)\b"
                     r"|\b(?:gagal|failed|stuck|undelivered|pending)\s+(?:kirim|terkirim|dikirim|messages?|deliveries)\b"
                     # "ada tiket yang nyangkut atau error?" (thirty-eighth trial: the help)
                     r"|\b(?:tiket|aduan|tickets?)\s+(?:\S+\s+)?(?:nyangkut|tersangkut|stuck|error|eror)\b")


# "cara alihkan aduan ke dinas lain gimana?", "gimana cara tutup aduan?", "bisa lihat di web gak aduannya?", "how do I
# close a complaint?": staff asking how to use the service, each answered with its command (never offered to a
# reporter as an answer).
# A how-to construction ("cara …", "gimana cara …", "gimana saya …", "lewat mana", "how do I"), which a question to a
# reporter ("gimana kondisinya sekarang pak, sudah ditutup lubangnya?", "bisa kirim fotonya pak?") is not
_ASKS_HOW = re.compile(r"\bcara\w*\b|\b(?:gimana|bagaimana|gmn|piye|pripun)\s+(?:cara\w*|(?:saya|aku|sy|kami|kita)\b|"
                       r"(?:mau|untuk|buat|kalau|kalo)\b|(?:menambah|mendaftar|mengalih|memindah|menutup|menyelesai|membalas|menjawab|"
                       r"mengirim|mengambil|memproses|menghapus|mengubah|mengganti|membuat|membuka|mengecek|memeriksa|"
                       r"menandai|mengundang|mencetak|mengunduh)\w*\b)|\bhow\s+(?:do|can|should)\s+(?:i|we)\b|\bhow\s+to\b|"
                       r"\blewat\s+mana\b|\bbisa\s+(?:lihat|liat|buka|akses|export|ekspor|unduh|download|diunduh|diekspor|"
                       r"di-export|diexport)\b|\bcan\s+(?:i|we)\s+(?:export|download)\b|\bwhere\s+(?:do|can)\s+(?:i|we)\b"
                       # "jam layanan dukcapil berubah jadi jam 7.30, ubah dimana?" (forty-second trial, the operator:
                       # the residents' answer on office hours)
                       r"|\b(?:ubah|ubahnya|ganti|gantinya|diubah|diganti|edit|editnya|setting|atur|aturnya|disetel)\s+"
                       r"(?:di\s*mana|dimana|lewat\s+mana|where)\b")
# ("bagaimana menambah petugas baru?": a verb after "bagaimana" asks how too; thirty-third trial, "no open complaint
# matches those words")
# "siapa saja petugas dinas pupr yang sudah terdaftar?", "who is enrolled at dishub?"
_WHO_ENROLLED = re.compile(r"\b(?:siapa|daftar|list|who)\b.*\b(?:petugas|staf|staff|pegawai|officers?|operator)\b.*"
                           r"\b(?:terdaftar|sudah\s+daftar|enrolled|registered|ada)\b"
                           # "siapa saja yang terdaftar jadi petugas?" (fortieth trial: the help)
                           r"|\bsiapa\s+(?:saja\s+|aja\s+)?(?:yang|yg)\s+(?:sudah\s+|udah\s+)?(?:terdaftar|daftar)\s+"
                           r"(?:jadi\s+|sebagai\s+)?(?:petugas|staf|staff|pegawai|operator)\b")
# "saya bingung mau jawab apa ke pelapor", "ada contoh jawaban?", "how should I reply to the reporter?"
_REPLY_UNSURE = re.compile(r"\b(?:bingung|binggung|gak\s+tau|ga\s+tau|nggak\s+tau|tidak\s+tahu|not\s+sure)\b.*"
                           r"\b(?:jawab|balas|membalas|menjawab|bales|reply|answer|respond|respon)\w*\b"
                           r"|\bcontoh\s+(?:jawaban|balasan)\b|\b(?:template|format)\s+(?:jawaban|balasan)\b"
                           r"|\bhow\s+(?:should|do|can)\s+i\s+(?:reply|answer|respond)\b")
_HOW_TOPICS = (
    # "apa bedanya proses dan selesai?" (forty-first trial, an officer: residents' FAQs to pick from): the statuses
    ("statuses", re.compile(r"\b(?:beda|bedanya|perbedaan|difference)\b.*\b(?:proses|diproses|selesai|tutup|"
                            r"ditutup|arsip\w*|triase|status|done|closed|progress)\b|\barti\s+(?:tiap\s+|setiap\s+)?"
                            r"status\b|\bstatus\w*\s+(?:apa\s+saja|artinya)\b")),
    # "bagaimana cara export data aduan ke excel?" (thirty-fourth trial: the residents' FAQ on a complaint's status)
    ("export", re.compile(r"\b(?:export|ekspor|eksport|mengekspor|diekspor|excel|csv|spreadsheet|unduh\s+data|"
                          r"download\s+data|download|unduh|rekap\s+data)\b")),
    ("invite", re.compile(r"\b(?:daftarkan|mendaftarkan|didaftarkan|undang|mengundang|tambah|menambah|invite|enrol\w*|"
                          r"add)\b.*\b(?:petugas|staf|staff|pegawai|officers?|operator|akun|account)\b")),
    ("memo", re.compile(r"\b(?:pesan|instruksi|arahan|perintah|memo|message|instruction)\b.*\b(?:dinas|opd|kantor|"
                        r"semua|offices?|agenc\w*)\b")),
    # "gimana cara pindahin sebagian aduan ke dinas lain?" (thirty-sixth trial: offered to the reporters): a part of
    # one is the reporter's to file anew
    ("transfer_part", re.compile(r"\b(?:sebagian|separuh|bagian|part\s+of|split|pisah\w*|dipisah\w*|memisah\w*)\b.*"
                                 r"\b(?:alihkan|dialihkan|mengalihkan|pindah\w*|mindah\w*|memindah\w*|dipindah\w*|"
                                 r"oper|transfer|forward|dinas\s+lain|opd\s+lain)\b|\b(?:pisah|pisahkan|split)\s+"
                                 r"(?:\S+\s+)?(?:aduan|tiket|laporan|complaint|ticket)\w*\b")),
    ("transfer", re.compile(r"\b(?:alihkan|dialihkan|mengalihkan|pindahkan|pindahin|mindahin|dipindah\w*|memindah\w*|"
                            r"oper|transfer|forward|reroute|lempar)\b")),
    ("close", re.compile(r"\b(?:tutup|ditutup|menutup|selesaikan|diselesaikan|close|finish|done|selesai)\b")),
    ("progress", re.compile(r"\b(?:proses|diproses|memproses|in\s+progress)\b")),
    ("reply", re.compile(r"\b(?:balas|membalas|dibalas|jawab|menjawab|dijawab|reply|answer)\b")),
    ("take", re.compile(r"\b(?:ambil|mengambil|pegang|megang|claim|take)\b")),
    ("queue", re.compile(r"\b(?:antrian|antrean|daftar\s+aduan|semua\s+aduan|list|queue)\b")),
    # "bagaimana cara lihat foto dari pelapor?" (thirty-fourth trial: offered to the reporter as the answer)
    ("photos", re.compile(r"\b(?:foto|gambar|photos?|pictures?|lampiran|attachments?)\w*\b")),
    ("desk", re.compile(r"\b(?:web|website|desk|komputer|laptop|browser|dasbor|dashboard|meja\s+layanan)\b")),
    # the operator's "bagaimana cara menambah topik baru?", "backup data gimana?" (thirty-first trial: "no open
    # complaint matches those words")
    ("topic", re.compile(r"\b(?:topik|kategori|topics?|categor\w*)\b")),
    # the operator's "gimana cara ganti nama dinas di sistem?" (thirty-seventh trial: the residents' FAQ on changing
    # one's KK): offices are the directory's
    # the operator's "tolong tambahkan desa baru: desa sumbersari" (forty-first trial: "not sent to anyone" and the
    # help): villages are the letters' list
    ("villages", re.compile(r"\b(?:desa|kelurahan|kecamatan|wilayah)\s+baru\b"
                            r"|\b(?:tambah\w*|ubah|ganti|hapus|rename)\s+(?:nama\s+)?(?:desa|kelurahan|kecamatan|wilayah|"
                            r"villages?)\b|\bdaftar\s+(?:desa|kelurahan|"
                            r"wilayah)\b")),
    # the operator's "ganti nomor darurat damkar jadi 0321-851234" (forty-first trial: the residents' answer on
    # Damkar): the numbers are the directory's
    ("emergency_numbers", re.compile(r"\b(?:nomor|no|nmr|number|telepon|telp)\s+(?:\S+\s+)?(?:darurat|emergency|"
                                     r"damkar|pemadam|ambulans|ambulan|bpbd|psc)\b|\bemergency\s+numbers?\b")),
    ("directory", re.compile(r"\b(?:nama|singkatan|kontak|alamat|jam\s+layanan)\s+(?:\S+\s+)?"
                             r"(?:dinas|opd|kantor|instansi)\b"
                             r"|\b(?:dinas|opd|instansi)\s+baru\b|\b(?:rute|routing)\b"
                             # "ganti jam layanan jadi jam 8 sampai 4" (fortieth trial, the operator: the help)
                             r"|\bjam\s+(?:layanan|buka|operasional|pelayanan|kantor)\b|\b(?:opening|office|service)\s+"
                             r"hours\b")),
    ("backup", re.compile(r"\b(?:backup|back\s+up|cadangan|cadangkan|mencadangkan|pencadangan)\b")),
    # the operator's "bagaimana cara mengubah batas waktu dinas pupr?", "bagaimana cara mengubah teks jawaban bot?"
    # (thirty-fourth trial: residents' FAQs to pick from)
    ("deadlines", re.compile(r"\b(?:batas\s+waktu|tenggat|deadline|sla|hari\s+kerja)\b")),
    ("texts", re.compile(r"\b(?:teks|text|kalimat|kata-kata|wording|jawaban\s+(?:bot|otomatis)|"
                         r"balasan\s+(?:bot|otomatis)|pesan\s+(?:bot|otomatis|sambutan)|sapaan|salam\s+pembuka|faq)\b")),
    # the operator's "bagaimana cara restart bot?" (thirty-fifth trial: residents' FAQs to pick from)
    ("restart", re.compile(r"\b(?:restart|reboot|reset|mereset|direset|mulai\s+ulang|memulai\s+ulang|nyalakan\s+ulang|"
                           r"menyalakan\s+ulang|hidupkan\s+ulang|menghidupkan\s+ulang|jalankan\s+ulang|menjalankan\s+ulang)\b")),
    # "bagaimana cara ganti nomor wa bot?", "how do I connect telegram?" (thirty-fourth trial: three residents' FAQs)
    ("channels", re.compile(r"\b(?:wa|whatsapp|telegram|sms|token|saluran|channels?)\b")),
)
# "saya tidak bisa alihkan aduan", "gagal menutup tiket", "can't reply to the reporter": a use of the service that
# did not work for them
_CANNOT_DO = re.compile(r"(?:^|\b(?:saya|sy|kami|aku|gue|gw|kok|masih|tetap|i|we)\s+)"  # (the speaker's own: not "dinas
                        # mana yang belum membalas aduan warga?")
                        r"(?:tidak|tdk|gak|ga|gk|nggak|ngga|enggak|belum|blm|gagal|susah|sulit|can'?t|cannot|"
                        r"unable\s+to)\s+(?:bisa\s+|mau\s+|berhasil\s+)?(?:saya\s+)?(?:alihkan|mengalihkan|dialihkan|"
                        r"pindahkan|memindahkan|tutup|menutup|ditutup|selesaikan|menyelesaikan|balas|membalas|dibalas|"
                        r"ambil|mengambil|proses|memproses|transfer|close|reply|take|move|lihat|melihat|buka|membuka|"
                        r"see|open)\b"
                        # ... a complaint or its parts, not the work ("kami belum bisa menutup lubangnya, hujan terus")
                        r"(?:\s+(?:\S+\s+)?(?:aduan|tiket|laporan|pengaduan|tickets?|complaints?|reports?|foto|photos?|"
                        r"pesan|balasan|messages?)\w*\b|\s+(?:nih|ini|pak|bu|min|kenapa|ya|lagi)\b|\s*$)")
_ORDERED_HOW = frozenset({"export", "topic", "directory", "emergency_numbers", "villages", "deadlines", "texts",
                          "restart"})
_OPERATOR_HOW = frozenset({"topic", "directory", "emergency_numbers", "villages", "backup", "channels", "deadlines",
                           "texts", "restart"})
# An order rather than a question: "export data bulan ini", "tambah topik baru: …", "ganti nama dinas pupr jadi …"
_ORDERED = re.compile(r"^(?:(?:tolong|mohon|pls|please)\s+)?(?:export|ekspor|unduh|download|tambah|tambahkan|buat|"
                      r"buatkan|"
                      # "tolong reset bot" (thirty-ninth trial, the operator: "nothing was sent", as a cancel)
                      r"ubah|ganti|hapus|add|change|rename|reset|restart|reboot)\b")
# "saya tidak bisa buka dasbor", "lupa password", "can't log in to the desk": signing in to the web desk, said
# without a question (thirty-first trial: the help, and for "lupa password" the residents' FAQs)
_DESK_TROUBLE = re.compile(
    r"\b(?:tidak|tdk|gak|ga|gk|nggak|ngga|enggak|belum|blm|gagal|susah|sulit|can'?t|cannot|unable\s+to)\s+(?:bisa\s+)?"
    r"(?:buka|membuka|masuk|login|log\s+in|akses|mengakses|open|sign\s+in|access)\b.{0,30}\b(?:dasbor|dashboard|desk|web|"
    r"meja\s+layanan|situs|website)\b"
    r"|\b(?:lupa|forgot|forget)\s+(?:\S+\s+)?(?:password|kata\s+sandi|sandi|pin|pass)\b"
    # "reset password petugas dinas pupr" (thirty-third trial: the help)
    r"|\b(?:reset|ganti|ubah|change)\s+(?:\S+\s+)?(?:password|kata\s+sandi|sandi|pin)\b"
    r"|\b(?:kode|code)\s+(?:masuk|login)\w*\s+(?:\S+\s+)?(?:tidak|gak|ga|belum|blm|not|never)\s+(?:\S+\s+)?"
    r"(?:datang|masuk|sampai|muncul|arrive\w*|come)\b")


# "saya mau lapor lampu jalan mati di depan rumah saya", "bagaimana cara saya melapor sebagai warga?", "I want to
# report a problem near my house": staff with a problem of their own (twenty-ninth trial: "not sent to anyone" and
# the whole help). Not a report to the regent or a superior ("saya mau lapor ke bupati soal aduan …": /lapor_bupati).
_STAFF_OWN_PROBLEM = re.compile(
    r"^(?:\S+\s+){0,3}?(?:saya|aku|sy|gue|gw)\s+(?:mau|ingin|pengen|pingin|hendak|akan|juga\s+mau)\s+(?:lapor|melapor|"
    r"melaporkan|ngadu|mengadu|mengadukan|bikin\s+aduan|buat\s+aduan|membuat\s+aduan)\b"
    r"|\b(?:lapor|melapor|mengadu|ngadu|aduan)\s+(?:sebagai|selaku|jadi)\s+(?:warga|masyarakat|pribadi)\b"
    r"|\b(?:report|complain)\s+as\s+a\s+(?:resident|citizen|private\s+person)\b"
    r"|^(?:\S+\s+){0,2}?i\s+(?:want|would\s+like|need)\s+to\s+(?:report|complain)\b")
_NOT_STAFF_OWN_PROBLEM = re.compile(r"\b(?:bupati|walikota|wali\s+kota|pimpinan|atasan|kadis|kepala\s+dinas|sekda|"
                                    r"regent|pelapor|warga\s+yang|tiket|disposisi)\b")


# "tolong kirim laporan ke email saya", "bisa dikirim lewat email?", "send the report to my email"
_BY_EMAIL = re.compile(r"\b(?:laporan|rekap|ringkasan|data|report|summary|recap)\w*\s+(?:\S+\s+){0,3}?"
                       r"(?:ke|lewat|via|by|to)\s+(?:\S+\s+)?(?:email|e-mail|e\s+mail|surel|imel|gmail)\b")


# "apa itu triase?", "triase itu apa?", "what does triase mean?", "maksudnya disposisi apa?": a word of the service's
_TERMS = {"triase": "triage", "triage": "triage", "disposisi": "disposition", "arsip": "archive", "arsipkan": "archive",
          "diarsipkan": "archive", "gabung": "join", "digabung": "join", "gabungkan": "join", "eskalasi": "escalation",
          "escalation": "escalation", "tenggat": "deadline", "sla": "deadline"}
_MEANING_ASKED = re.compile(r"\b(?:apa\s+itu|apa\s+sih|arti(?:nya)?|maksud(?:nya)?|itu\s+apa|apaan|what\s+(?:does|is)|"
                            r"means?|meaning)\b")


def _term_asked(low: str) -> str | None:
    if len(low.split()) > 8 or not _MEANING_ASKED.search(low):
        return None
    return next((_TERMS[w] for w in low.split() if w in _TERMS), None)


def own_problem(text: str) -> bool:
    """"saya mau lapor lampu jalan mati di depan rumah saya": staff with a problem of their own."""
    low = _words(text)
    return (bool(_STAFF_OWN_PROBLEM.search(low)) and not _NOT_STAFF_OWN_PROBLEM.search(low)
            and find_ticket_number(text) is None)


def _asks_of_reporter(text: str) -> bool:
    from actions.officer import asks_of_reporter  # (officer imports this module: lazy)

    return asks_of_reporter(text)


def report_as_resident(turn: Turn) -> None:
    """Staff messages never become complaints (they would reach their own desk as a resident's): where to report as
    a resident instead, without a role."""
    from actions.letters import public_base  # (letters imports officer, which imports this module: lazy)

    turn.say("staff_report_as_resident", url=f"{public_base(turn.services)}/")


def _how_to(text: str, low: str, role: str) -> str | None:
    """Which use of the service a staff member asks how to do, or None (the regent's message to offices is his; an
    officer asking how to enrol a colleague is told to ask the operators)."""
    if _DESK_TROUBLE.search(low):
        return "desk_login"
    if _REPLY_UNSURE.search(low):
        return "reply_tips"  # "tolong bantu, saya bingung mau jawab apa ke pelapor" (thirty-eighth trial: the help)
    if _CANNOT_DO.search(low) and find_ticket_number(text) is None and role != ROLE_REGENT:
        # (not the regent's "dishub kok belum balas aduan lampu?": an office's slowness, thirty-fifth trial)
        # "tolong operator, saya tidak bisa alihkan aduan" (thirty-fourth trial: offered to a reporter): how it is done
        found = next((key for key, pattern in _HOW_TOPICS if pattern.search(low)), None)
        if found in ("transfer", "close", "progress", "reply", "take", "queue", "photos"):
            return found
    ordered = next((key for key, pattern in _HOW_TOPICS if pattern.search(low)), None) if _ORDERED.match(low) else None
    if ordered in _ORDERED_HOW and (role == ROLE_OPERATOR or ordered == "export"):
        # "export data bulan ini", the operator's "tambah topik baru: aduan kebersihan makam" (thirty-seventh trial: the
        # help): how it is done, said as an order
        return ordered
    if u.is_question(text) and dict(_HOW_TOPICS)["statuses"].search(low):
        return "statuses"  # "apa bedanya proses dan selesai?": asked without "how"
    if not (u.is_question(text) or low.startswith(("cara", "gimana", "bagaimana", "how"))) or not _ASKS_HOW.search(low):
        if dict(_HOW_TOPICS)["backup"].search(low) and role == ROLE_OPERATOR and u.is_question(text):
            return "backup"  # "backup data gimana?"
        return None
    found = next((key for key, pattern in _HOW_TOPICS if pattern.search(low)), None)
    if found in _OPERATOR_HOW and role != ROLE_OPERATOR:
        return None
    if found == "memo" and role != ROLE_REGENT:
        return None
    if found == "invite" and role != ROLE_OPERATOR:
        return "invite_ask_operator"
    return found


def _explain(turn: Turn, text: str, how: str) -> None:
    from actions.letters import public_base  # (letters imports officer, which imports this module: lazy)

    number = _ticket_meant(turn, text) or example_number(turn)
    turn.say(f"staff_how_{how}", number=number, desk=f"{public_base(turn.services)}/desk",
             data_dir=str(turn.services.settings.data_dir))


# "berapa aduan saya yang lewat tenggat?", "antrian saya ada berapa?": the officer's own work asked after
_OWN_QUEUE = re.compile(r"\b(?:aduan|tiket|laporan|complaints?|tickets?)\s+(?:saya|kami|sy|kita|my|our)\b"
                        r"|\b(?:my|our)\s+(?:complaints|tickets|queue)\b|\b(?:antrian|antrean|queue)\b")
# "berapa rating saya?", "nilai dinas kami berapa?", "what's my rating?" (fortieth trial: after "/selesai WRG-…" asked
# for the note, it became the closing note sent to the reporter)
_OWN_FIGURES = re.compile(r"\b(?:rating|nilai|penilaian|bintang|rapor|kinerja|performa|skor)\s+(?:saya|kami|sy|aku|"
                          r"kantor\s+kami|dinas\s+kami)\b|\bmy\s+(?:rating|score|performance)\b")
# ... and not a question to the reporter, who is spoken to ("bagaimana caranya bapak kirim foto lokasinya?")
_SPOKEN_TO = re.compile(r"\b(?:anda|bapak|ibu|bpk|panjenengan|sampeyan|njenengan|you|your)\b")


def asked_of_service(turn: Turn, text: str) -> bool:
    """A question about the service or the staff member's own work ("bagaimana cara lihat foto dari pelapor?",
    "berapa aduan saya yang lewat tenggat?", "pelapor minta ditelepon, nomornya berapa?"), never words for a
    reporter."""
    low = _words(text)
    if not low or not u.is_question(text) or _SPOKEN_TO.search(low):
        return False
    return bool(_how_to(text, low, turn.identity.role) or (_CONTACT.search(low) and not _asks_of_reporter(text))
                or _OWN_QUEUE.search(low) or _UNREAD.search(low) or _OWN_FIGURES.search(low))


# "kode daftar saya hilang", "lupa kode pendaftarannya", "I lost my enrolment code"
_CODE_LOST = re.compile(r"\bkode\s+(?:daftar|pendaftaran|undangan|registrasi|enrol\w*)\w*\b.{0,30}\b(?:hilang|lupa|"
                        r"kadaluarsa|kedaluwarsa|expired|tidak\s+berlaku|gak\s+berlaku|terhapus)\b"
                        r"|\b(?:lupa|hilang|kehilangan)\s+(?:\S+\s+)?kode\s+(?:daftar|pendaftaran|undangan)\w*\b"
                        r"|\b(?:lost|forgot)\s+(?:my\s+)?(?:enrol\w*|registration|invite)\s+code\b")


def _words(text: str) -> str:
    low = u.plain(text)
    return low if len(low.split()) <= ASIDE_WORDS else ""


async def answer(turn: Turn, text: str) -> bool:
    """One of the asides above, answered; False for anything else."""
    from actions import regent_memo  # (regent_memo is imported by officer, which imports this module: lazy)

    if await regent_memo.answer_in_words(turn, text):
        return True  # "siap pak, besok jam 8 kepala dinas menghadap" after the regent's message: his, in one tap
    low = _words(text)
    if not low:
        return False
    if _CODE_LOST.search(low):
        # "kode daftar saya hilang, gimana?" from someone enrolled (forty-first trial: the queue): needed no more
        turn.say("staff_code_lost")
        return True
    if _WHO_REPORTED.search(low) and turn.identity.role in (ROLE_OFFICER, ROLE_OPERATOR, ROLE_REGENT):
        if await _who_reported(turn, text):
            return True
        if not _CONTACT.search(low):
            return False  # (the contact asked too: answered below)
    if (turn.identity.role == ROLE_OFFICER and (handed := _HAND_OVER.search(low)) is not None
            and (number := _ticket_meant(turn, text)) is not None and await _hand_over(turn, number, handed["who"])):
        return True  # "WRG-… saya serahkan ke pak budi saja"
    if (_DEADLINE_OF.search(low) and u.is_question(text) and not _ASKS_HOW.search(low)
            and turn.identity.role in (ROLE_OFFICER, ROLE_OPERATOR, ROLE_REGENT)
            and await _tickets_of_matter(turn, text, _DEADLINE_OF)):
        return True  # "kapan batas waktu aduan jalan sooko?": its card, the deadline on it
    colleague = bool(_COLLEAGUE_REPLIED.search(low)) and turn.identity.role == ROLE_OFFICER
    if ((_WHO_REPLIED.search(low) or colleague) and turn.identity.role in (ROLE_OFFICER, ROLE_OPERATOR, ROLE_REGENT)
            and (number := _ticket_meant(turn, text)) is not None):
        from actions.officer import cmd_info  # (officer imports this module: lazy)

        await cmd_info.handler(turn, number)  # its history: who answered, and when
        if colleague:
            turn.say("staff_colleague_answered", number=number)
        return True
    if turn.identity.role in (ROLE_OFFICER, ROLE_OPERATOR, ROLE_REGENT) and own_problem(text):
        report_as_resident(turn)
    elif _WHY_REMINDED.search(low) and turn.identity.role == ROLE_OFFICER:
        from actions.officer import show_queue  # (officer imports this module: lazy)

        # "kenapa saya dapat pengingat dari bupati?" (thirty-ninth trial: the help): why, and what is overdue
        turn.say("staff_why_reminded")
        await show_queue(turn, "", overdue=True)
    elif _OWN_NUMBER_ASKED.search(low):
        # "pelapor minta nomor saya, boleh dikasih?" (thirty-second trial: told the reporter's number is hidden)
        number = _ticket_meant(turn, text)
        turn.say("staff_own_number", [Button(turn.t("staff_own_number_button"), f"/balas {number}")] if number else [])
    elif _CONTACT.search(low) and not _asks_of_reporter(text):  # ("minta alamat lengkapnya ke pelapor": a request)
        _reporter_contact(turn, text)
    elif (_UNREAD.search(low) and _UNCLAIMED.search(low) and find_ticket_number(text) is None
          and turn.identity.role != ROLE_REGENT):
        from actions.officer import show_queue  # (officer imports this module: lazy)

        # "berapa aduan yang belum diambil?" (thirty-seventh trial: the whole queue, those taken among them)
        await show_queue(turn, "", unclaimed=True)
    elif (_UNREAD.search(low) and find_ticket_number(text) is None and turn.identity.role != ROLE_REGENT
          and not re.search(r"\b(?:berapa|brp|jumlah|how\s+many)\b", low)):
        from actions.officer import cmd_queue  # (officer imports this module: lazy)

        await cmd_queue.handler(turn, "")  # "ada aduan yang belum dibaca?": the open ones, by deadline
    elif _DELETE_TICKET.search(low) and not _RETRACT.search(low):
        number = _ticket_meant(turn, text) or example_number(turn)
        if turn.identity.role == ROLE_OPERATOR:
            turn.say("staff_delete_ticket_operator", [Button(turn.t("staff_archive_button"), f"/arsipkan {number}")],
                     number=number)
        else:
            turn.say("staff_delete_ticket_officer", number=number)
    elif _RETRACT.search(low):
        _cannot_retract(turn, text)
    elif _BULK_CLOSE.search(low) and find_ticket_number(text) is None and turn.identity.role != ROLE_REGENT:
        from actions.officer import show_queue  # (officer imports this module: lazy)

        # "tutup semua tiket yang sudah selesai" (fortieth trial: "not sent" and the help): one by one, and the queue
        turn.say("staff_bulk_close", number=example_number(turn))
        await show_queue(turn, "")
    elif _REMIND_ME.search(low):
        # "tolong ingatkan saya besok soal aduan ini" (thirty-third trial: "not sent to anyone" and the help)
        turn.say("staff_remind_me", number=_ticket_meant(turn, text) or example_number(turn))
    elif (turn.identity.role == ROLE_OFFICER and _MOVED_OUT.search(low) and len(low.split()) <= MOVED_OUT_WORDS
          and not u.is_question(text) and find_ticket_number(text) is None):
        await _moved_out(turn, text)
    elif turn.identity.role == ROLE_OFFICER and turn.identity.opd_id and _LEAVE.search(low):
        await _on_leave(turn)
    elif _PHOTO.search(low) and _SEND.search(low) and (
            (_ASKS_HOW.search(low) and u.is_question(text))
            # "tolong kirim foto bukti ke pelapor", typed with no photo (thirty-fifth trial: the help)
            or (_TO_REPORTER.search(low) and not turn.message.attachments and find_ticket_number(text) is None)):
        _how_to_send_photo(turn, text)
    elif turn.identity.role == ROLE_OPERATOR and _WHO_ENROLLED.search(low) and u.is_question(text):
        from actions import staff_admin  # (staff_admin imports officer, which imports this module: lazy)
        from actions.officer import opd_in

        opd = opd_in(turn, text)  # "siapa saja petugas dinas pupr yang sudah terdaftar?": its /petugas
        await staff_admin.cmd_staff.handler(turn, opd.id if opd else "")
    elif _NOTIFY_OFF.search(low) and find_ticket_number(text) is None and turn.identity.role != ROLE_REGENT:
        # "tolong matikan notifikasi untuk dinas sosial" (thirty-sixth trial: the help): not switched off, and why
        turn.say("staff_notify_off_operator" if turn.identity.role == ROLE_OPERATOR else "staff_notify_off")
    elif (turn.identity.role in (ROLE_OPERATOR, ROLE_REGENT) and _TO_ALL_STAFF.search(low)
          and find_ticket_number(text) is None and not (_ASKS_HOW.search(low) and u.is_question(text))):
        from actions import regent_memo  # (regent_memo is imported by officer, which imports this module: lazy)

        # "tolong kirim pengumuman ke semua petugas: besok server maintenance jam 22.00" (thirty-seventh trial: told
        # residents get no broadcasts): to every office's officers, in one tap; the regent's "kirim ucapan terima kasih
        # ke semua petugas yang sudah bekerja keras" too (thirty-eighth trial: "not sent to anyone" and the help)
        head, colon, after = text.partition(":")
        regent_memo.offer(turn, regent_memo.EVERY_OFFICE, after.strip() if colon and after.strip() else
                          _as_notice(text))
    elif _BROADCAST.search(low) and find_ticket_number(text) is None:
        turn.say("staff_no_broadcast", number=example_number(turn))
    elif _MAP.search(low) and _MAP_WISH.search(low) and find_ticket_number(text) is None:
        from actions.letters import public_base  # (letters imports officer, which imports this module: lazy)

        turn.say("staff_map", desk=f"{public_base(turn.services)}/desk")
    elif (turn.identity.role == ROLE_OPERATOR
          and (_INVITE_CODE.search(low) and not _ASKS_HOW.search(low)
               # "tambah petugas baru untuk dinas kesehatan" (thirty-fifth trial: the help): its code at once
               or (dict(_HOW_TOPICS)["invite"].search(low) and not u.is_question(text)))
          and _invite_office(turn, text) is not None):
        from actions.officer import cmd_invite  # (officer imports this module: lazy)

        await cmd_invite.handler(turn, _invite_office(turn, text) or "")
    elif (term := _term_asked(low)) is not None:
        # "what does triase mean?", "disposisi itu apa?" (thirty-fourth trial: residents' FAQs to pick from)
        turn.say(f"staff_term_{term}", number=_ticket_meant(turn, text) or example_number(turn))
    elif _BY_EMAIL.search(low) and find_ticket_number(text) is None:
        # the regent's "tolong kirim laporan ke email saya" (thirty-fourth trial: "not sent to anyone" and the help):
        # the recap, here, and that recaps are not e-mailed
        from actions import regent  # (regent imports officer, which imports this module: lazy)

        await regent.recap_in_words(turn, text)
    elif (how := _how_to(text, low, turn.identity.role)) is not None:
        _explain(turn, text, how)
    elif (turn.identity.role == ROLE_OPERATOR and (_SYSTEM.search(low) and _SERVICE.search(low) or _UNSENT.search(low)
                                                   or _ERRORS_ASKED.search(low))
          and find_ticket_number(text) is None and (u.is_question(text) or re.search(r"\b(?:cek|check)\b", low)
                                                     or len(low.split()) <= SYSTEM_BARE_WORDS)):
        # ("status sistem", "server sehat?": thirty-sixth trial, "no open complaint matches those words")
        await _service_state(turn)
    elif (turn.identity.role == ROLE_OPERATOR and TOPIC_ROUTE.search(low) and find_ticket_number(text) is None
          and re.search(r"\b(?:topik|kategori|topic|semua|seluruh|all)\b", low)):
        _explain(turn, text, "topic")
    elif (_NEW_PHONE.search(low) and find_ticket_number(text) is None and len(low.split()) <= NEW_PHONE_WORDS
          and re.search(r"\b(?:saya|sy|aku|gue|gw|i|my|i'?ve)\b", low) and not _REPORTER_NAMED.search(low)):
        turn.say("staff_new_phone_operator" if turn.identity.role == ROLE_OPERATOR else "staff_new_phone")
    elif turn.identity.role != ROLE_OPERATOR and _BOT_SLOW.search(low) and find_ticket_number(text) is None:
        turn.say("staff_bot_slow")  # an officer's "kenapa bot ini lama sekali balasnya" (thirty-fifth trial: the help)
    else:
        return False
    return True


async def _tickets_of_matter(turn: Turn, text: str, asked: re.Pattern[str]) -> bool:
    """The open ticket the words name, by number or by its matter (the question's own words left out): its /info,
    or the tickets that match to pick from; False when they name none."""
    from actions import officer  # (officer imports this module: lazy)

    if (number := find_ticket_number(text)) is not None:
        await officer.cmd_info.handler(turn, number)
        return True
    wanted = officer.matter_words(asked.sub(" ", u.plain(text)))
    if not wanted or not await officer.named_tickets(turn, wanted):
        return False
    await officer.staff_asks_after(turn, " ".join(wanted))
    return True


async def _who_reported(turn: Turn, text: str) -> bool:
    """The complaint the words name (by number, else by its matter, else the one whose reporter wrote last): its
    /info, the reporter as its privacy allows. False when they name none (the usual answers follow)."""
    from actions import officer  # (officer imports this module: lazy)

    number = find_ticket_number(text)
    if number is None:
        wanted = officer.matter_words(_WHO_REPORTED.sub(" ", u.plain(text)))
        named = await officer.named_tickets(turn, wanted)
        if len(named) == 1:
            number = named[0].number
        elif len(wanted) < officer.MATTER_SHARED:  # "siapa pelapornya?": the one whose reporter wrote last
            number = _ticket_meant(turn, text)
    if number is None:
        return False  # (words naming a matter that is no one complaint: the usual answers)
    await officer.cmd_info.handler(turn, number)
    return True


async def _hand_over(turn: Turn, number: str, who: str) -> bool:
    """The ticket given to the colleague of the same office the words name (by the name they gave, or the end of
    their chat id as /petugas shows it), as the desk's Tugaskan does; False when the words name no colleague of
    that office (an office named is a transfer: its own answers)."""
    from actions.complaint import office_named
    from actions.desk import assign, assignable_officers  # (desk imports officer, which imports this module: lazy)

    ticket = await turn.store.get_ticket(number)
    wanted = " ".join(w for w in who.split() if w not in _HONORIFICS)
    if (ticket is None or ticket.opd_id != turn.identity.opd_id or not wanted or office_named(turn, who)
            or _NOT_A_COLLEAGUE.search(who)):
        return False
    sender_for = turn.services.web_sender_for
    officers = await assignable_officers(turn, ticket.opd_id,
                                         lambda key: f"webchat:{sender_for(key)}" if sender_for else "")
    named = [o for o in officers if o.key != turn.identity.key
             and (re.search(rf"\b{re.escape(wanted)}\b", u.plain(staff_label(turn, o)))
                  or o.sender_id.lower().endswith(wanted.replace(" ", "")))]
    if len(named) > 1:  # two colleagues go by that name: which one is for the desk's Tugaskan, or a fuller name
        turn.say("staff_handover_which", number=number, who=who.strip(),
                 colleagues=", ".join(staff_label(turn, o) for o in named))
        return True
    if not named:
        # "oper ke pak joko" naming no one enrolled at the office (fortieth trial: offered to the reporter as words)
        others = [staff_label(turn, o) for o in officers if o.key != turn.identity.key]
        turn.say("staff_handover_who", number=number, who=who.strip(),
                 colleagues=", ".join(others) if others else turn.t("staff_handover_nobody"))
        return True
    assignee = (ticket.extra or {}).get("assignee") or {}
    if assignee.get("key") == named[0].key:
        turn.say("staff_handover_already", number=number, name=staff_label(turn, named[0]))
        return True
    await assign(turn, ticket, named[0])
    return True


# "WRG-… saya serahkan ke pak budi saja", "tiket ini oper ke bu sari", "hand it over to budi"
_HAND_OVER = re.compile(r"\b(?:serahkan|serahin|nyerahin|menyerahkan|oper|operkan|operin|limpahkan|melimpahkan|"
                        r"tugaskan|delegasikan|hand\s+(?:it\s+|this\s+)?over|assign\s+(?:it\s+|this\s+)?)\s+"
                        r"(?:saja\s+|aja\s+)?(?:ke|kepada|sama|ama|to)\s+(?P<who>[\w.' -]+?)"
                        r"(?:\s+(?:saja|aja|ya|dulu|pak|bu|dong|please))*$")
_NOT_A_COLLEAGUE = re.compile(r"\b(?:pelapor\w*|warga|reporter|resident|operator|bupati|admin|triase|kecamatan|camat|"
                              r"desa|kades|lurah|dinas|opd)\b")
_HONORIFICS = frozenset("pak bu bapak ibu mas mbak bang kak rekan teman mr mrs ms".split())


def _invite_office(turn: Turn, text: str) -> str | None:
    """What an enrolment code is asked for, as `/undang` takes it: an office's id, or "desa ID" for a village head,
    "kecamatan ID" for a camat ("kode untuk kepala desa sooko": thirty-fourth trial, the help)."""
    from actions.letters import catalog_of  # (letters imports officer, which imports this module: lazy)
    from actions.officer import opd_in

    low = u.plain(text)
    catalog = catalog_of(turn.services)
    if _VILLAGE_HEAD.search(low):
        village = next((v for w in low.split() if (v := catalog.find_village(w)) is not None), None)
        return f"desa {village.id}" if village else None
    if _CAMAT.search(low):
        found = next((k for k in catalog.kecamatan.values() if k.id in low.split() or k.name.lower() in low), None)
        return f"kecamatan {found.id}" if found else None
    opd = opd_in(turn, text)
    return opd.id if opd is not None else None


# "kenapa saya dapat pengingat dari bupati?", "kok kami ditegur?", "why was I reminded?"
_WHY_REMINDED = re.compile(r"\b(?:kenapa|mengapa|knp|kok|why|apa\s+sebab\w*)\b.{0,40}\b(?:pengingat|diingatkan|"
                           r"ingatkan|ditegur|teguran|reminder|reminded|peringatan)\b")


_VILLAGE_HEAD = re.compile(r"\b(?:kepala\s+desa|kades|lurah|kepala\s+kelurahan|village\s+head)\b")
_CAMAT = re.compile(r"\b(?:camat|kepala\s+kecamatan)\b")


def _ticket_meant(turn: Turn, text: str) -> str | None:
    """The ticket named, else the one whose reporter wrote last to this staff member, else the one just opened."""
    from actions.officer import viewed_ticket  # (officer imports this module: lazy)

    named = find_ticket_number(text)
    if named:
        return named
    recent = turn.state.get(LAST_IN_KEY)
    first = recent[0] if isinstance(recent, list) and recent and isinstance(recent[0], dict) else None
    return str(first["number"]) if first and first.get("number") else viewed_ticket(turn)


def _reporter_contact(turn: Turn, text: str) -> None:
    number = _ticket_meant(turn, text)
    if number is None:
        turn.say("reporter_contact_hidden_no_ticket")
        return
    ask = turn.t("reporter_contact_request", turn.lang)
    turn.say("reporter_contact_hidden", [Button(turn.t("reporter_contact_button"), f"/balas {number} {ask}")],
             number=number)


def _cannot_retract(turn: Turn, text: str) -> None:
    number = _ticket_meant(turn, text)
    fix = turn.t("staff_correction_start", turn.lang)
    buttons = [Button(turn.t("staff_correction_button"), f"/balas {number} {fix}")] if number else []
    turn.say("staff_cannot_retract", buttons)


async def _moved_out(turn: Turn, text: str) -> None:
    """An officer who says they left the office: the operators are asked to revoke the access (with its code) and
    to enrol someone in their stead; access is never removed on one's own word, which anyone holding the phone
    could type."""
    from actions.common import operator_recipients, staff_lang
    from actions.staff_admin import staff_ref  # (staff_admin imports officer, which imports this module: lazy)

    opd = turn.directory.opd(turn.identity.opd_id or "")
    where = opd.short if opd else (turn.identity.opd_id or "-")
    operators = await operator_recipients(turn)
    for to in operators:
        lang = await staff_lang(turn, to)
        turn.deliver(to, [Reply(turn.t("staff_moved_out_to_operator", lang, who=staff_label(turn, turn.identity, lang),
                                       opd=where, text=text[:300], ref=staff_ref(turn.identity.key),
                                       opd_id=turn.identity.opd_id or "-"))],
                     f"moved-out:{turn.identity.key}:{turn.now.date().isoformat()}")
    turn.say("staff_moved_out" if operators else "staff_moved_out_no_operator", opd=where)


async def _on_leave(turn: Turn) -> None:
    opd_id = turn.identity.opd_id or ""
    others = [i for i in await turn.store.list_identities(ROLE_OFFICER, opd_id) if i.key != turn.identity.key]
    names = ", ".join(staff_label(turn, i) for i in others[:8])
    opd = turn.directory.opd(opd_id)
    turn.say("staff_leave_colleagues" if others else "staff_leave_alone", names=names,
             opd=opd.short if opd else opd_id)


def _how_to_send_photo(turn: Turn, text: str) -> None:
    """How a photo reaches a reporter: sent in this chat with the command as its caption (the desk takes one too)."""
    number = _ticket_meant(turn, text) or example_number(turn)
    turn.say("staff_how_photo", number=number)


async def _service_state(turn: Turn) -> None:
    """The operator's question about the service: the outbox's figures now, and where the details are."""
    from actions.letters import public_base  # (letters imports officer, which imports this module: lazy)

    counts = await turn.store.outbox_counts()
    pending, dead = counts.get(JOB_PENDING, 0), counts.get(JOB_DEAD, 0)
    base = public_base(turn.services)
    turn.say("ops_state_dead" if dead else "ops_state", pending=pending, dead=dead, desk=f"{base}/desk/kiriman",
             health=f"{base}/healthz")
