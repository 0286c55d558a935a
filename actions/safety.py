"""Safety first: a line said before a complaint's questions when its words tell of harm that should not wait for the
office's answer: a bite by an animal that may carry rabies, a child hurt by a teacher, water inside a house,
someone with a high fever, fits or short of breath, a fallen tree across a road or on a house, money asked in
the government's name.

The complaint goes on as before (its topic and office are the model's); the line only says what to do now. Dangers
to life (fire, people trapped, waist-deep water) are the emergency flow's (actions/emergency.py), not these.
"""

from __future__ import annotations

import re

from actions import understand as u

# "anjing liar gigit anak saya", "digigit kucing tetangga", "a stray dog bit my son": rabies is prevented by washing
# the wound and the vaccine the same day (thirtieth trial: three topics to pick from, nothing said of the wound)
_BITE = re.compile(r"\b(?:digigit|gigit|menggigit|gigitan|kegigit|dicakar|mencakar|nyakar|dicokot|nyokot|bitten|bit|"
                   r"bites|scratched)\b")
_ANIMAL = re.compile(r"\b(?:anjing|asu|kirik|kucing|kera|monyet|kethek|kelelawar|codot|dogs?|cats?|monkeys?|bats?)\b")
# "guru di sd sering memukul murid", "anak saya ditampar gurunya", "siswa dipukul kakak kelasnya di sekolah", "the
# teacher hits the pupils": a child hurt at school (thirtieth trial: to Dinas Pendidikan, or unsure topics, without the
# child-protection line a child hurt at home gets)
_TEACHER_HURTS = re.compile(
    r"\b(?:guru|gurunya|kepala\s+sekolah|wali\s+kelas|pembina|teachers?)\b.{0,60}?\b(?:memukul|mukul|mukulin|memukuli|"
    r"menampar|nampar|menendang|nendang|menjewer|njewer|mencubit|nyubit|melecehkan|mencabuli|menganiaya|hits?|beats?|"
    r"slap(?:s|ped)?|abuses?)\b"
    r"|\b(?:murid|siswa|siswi|anak\s+(?:saya|kami|sy)|pupils?|students?|my\s+(?:son|daughter|child))\b.{0,40}?"
    r"\b(?:dipukul|dipukuli|ditampar|ditendang|dijewer|dicubit|dilecehkan|dicabuli|dianiaya|dikeroyok|dibully|dirundung|"
    r"hit|beaten|slapped|bullied)\b"
    r".{0,30}?\b(?:guru|gurunya|teachers?|kakak\s+kelas\w*|teman\w*|sekolah|school|classmates?)\b")
# "banjir sudah masuk rumah setinggi lutut", "rumah saya kebanjiran", "flood water is in my house": water inside a
# house now; not the flood every rainy season brings ("tiap hujan banjir masuk rumah" is a complaint to plan for)
_WATER_INSIDE = re.compile(
    r"\b(?:banjir|air|airnya)\b.{0,30}?\b(?:masuk|merendam|menggenangi|rendam)\s+(?:ke\s+)?(?:dalam\s+)?"
    r"(?:rumah|kamar|omah)\w*\b|\bkebanjiran\b|\b(?:flood|water)\b.{0,20}?\b(?:in|inside|into|entering)\s+"
    r"(?:my|our|the)\s+(?:house|home)\b")
# "air hujan masuk rumah karena atap bocor": a leaking roof, not flood water rising
_LEAK = re.compile(r"\b(?:bocor|bocornya|atap|atapnya|genteng|gentengnya|plafon|rembes|merembes|talang|leak\w*|roof)\b")
_RECURRING = re.compile(r"\b(?:tiap|setiap|saben|sering|langganan|musim|kalau|kalo|jika|bila|every|whenever|often)\b")
# "anak saya demam tinggi sudah 3 hari, puskesmas tutup", "bayi saya kejang", "ibu saya sesak napas": someone ill now
# whom the complaint about a health service will not help tonight (thirty-first trial: only the topic question)
_ILL_NOW = re.compile(
    r"\b(?:demam\s+tinggi|panas\s+tinggi|kejang\w*|step|sesak\s+(?:napas|nafas)|sesek|susah\s+(?:napas|nafas)|"
    r"muntah\s+darah|berak\s+darah|bab\s+darah|high\s+fever|seizures?|fits|can'?t\s+breathe|short\s+of\s+breath)\b")
_ILL_PERSON = re.compile(r"\b(?:anak|anaknya|bayi|bayinya|balita|putra|putri|ibu|bapak|ayah|suami|istri|nenek|kakek|"
                         r"mbah|simbah|adik|kakak|saya|sy|aku|child|baby|son|daughter|mother|father|wife|husband|i)\b")
# "ada pohon tumbang menutup jalan sekarang", "pohon roboh menimpa rumah", "a tree fell across the road": a fallen tree
# in the way now (thirty-second trial: only the topic question)
_TREE_DOWN = re.compile(
    r"\b(?:pohon|pohonnya|wit|uwit|tree)\b.{0,20}?\b(?:tumbang|roboh|rubuh|ambruk|patah|ambrol|fell|fallen|down)\b.{0,30}?"
    r"\b(?:menutup\w*|nutup\w*|tutup|menimpa|nimpa|ketiban|melintang|menghalangi|ngalangi|across|blocking|blocks|on)\b"
    r"\s+(?:\S+\s+)?(?:jalan|dalan|rumah|omah|kabel|mobil|motor|orang|warga|road|street|house|car|wires?)\b")
# "… sekarang", "barusan", "just now": it happened now (a tree across a road for days is a complaint to clear it)
_JUST_NOW = re.compile(r"\b(?:sekarang|barusan|baru\s+saja|baru\s+aja|tadi|malam\s+ini|pagi\s+ini|saat\s+ini|now|"
                       r"just)\b")
# "ada penipuan mengatasnamakan dinas sosial minta transfer 500 ribu biar bansos cair": money asked in the government's
# name (thirty-second trial: only the topic question; the transfer may not have been made yet)
_SCAM = re.compile(
    r"\b(?:penipuan|penipu|menipu|tipu|modus|mengatasnamakan|ngatasnamakan|mengaku|ngaku|scam\w*)\b.{0,60}?"
    r"\b(?:transfer|tf|kirim\s+uang|bayar|pulsa|otp|kode\s+verifikasi)\b"
    r"|\b(?:minta|meminta|disuruh|suruh)\s+(?:\S+\s+)?(?:transfer|tf|kirim\s+uang)\b.{0,40}?\b(?:bansos|bantuan|dinas|"
    r"pemkab|pemda|bupati|petugas|cair|pencairan|pkh|blt)\b")
SAFETY_WORDS = 80  # a long report tells a story; these are the short messages sent in the moment


def notes_for(text: str) -> list[str]:
    """The keys of the safety lines `text` calls for, in the order they are said."""
    low = u.plain(text)
    if not low or len(low.split()) > SAFETY_WORDS:
        return []
    notes = []
    if _BITE.search(low) and _ANIMAL.search(low):
        notes.append("safety_bite")
    if _TEACHER_HURTS.search(low):
        notes.append("safety_child_school")
    if _WATER_INSIDE.search(low) and not _RECURRING.search(low) and not _LEAK.search(low):
        notes.append("safety_flood")
    if _ILL_NOW.search(low) and _ILL_PERSON.search(low):
        notes.append("safety_ill_now")
    if _TREE_DOWN.search(low) and _JUST_NOW.search(low):
        notes.append("safety_tree_down")
    if _SCAM.search(low):
        notes.append("safety_scam")
    return notes
