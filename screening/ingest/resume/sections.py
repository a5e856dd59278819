"""Resume section headings in English, German, French, Spanish, Portuguese, Italian, Dutch,
Polish, Russian, Chinese, Korean, Japanese and Vietnamese.

A heading is a short line whose words, after decoration (numbering, bullets, colons, letter
spacing, case) is removed, are one of the phrases below. Phrases are facts of the languages,
collected from common resume vocabularies; each maps to one section kind.
"""

from __future__ import annotations

import re

EXPERIENCE = "experience"
EDUCATION = "education"
SKILLS = "skills"
PROJECTS = "projects"
CERTIFICATIONS = "certifications"
LANGUAGES = "languages"
REFERENCES = "references"
CONTACT = "contact"
SUMMARY = "summary"
OTHER = "other"

_PHRASES: dict[str, str] = {
    EXPERIENCE: """
        experience|work experience|professional experience|work history|employment
        |employment history
        |professional history|career history|career|relevant experience|work|positions|jobs
        |experience history|professional background|industry experience|internships|internship
        |berufserfahrung|berufliche erfahrung|berufliche laufbahn|beruflicher werdegang|erfahrung
        |werdegang|praxiserfahrung|arbeitserfahrung
        |expérience|expériences|expérience professionnelle|expériences professionnelles
        |parcours professionnel|emplois
        |experiencia|experiencia laboral|experiencia profesional|historial laboral|trayectoria
        |trayectoria profesional
        |experiência|experiência profissional|experiências|histórico profissional
        |esperienza|esperienze|esperienza lavorativa|esperienze lavorative|esperienza professionale
        |werkervaring|ervaring|doświadczenie|doświadczenie zawodowe
        |опыт|опыт работы|профессиональный опыт|трудовой опыт|места работы|досвід роботи
        |工作经历|工作经验|工作履历|职业经历|實習經歷|工作經歷|实习经历|经历|職歴|職務経歴
        |경력|경력사항|경력 사항|업무 경험|근무 경력
        |kinh nghiệm|kinh nghiệm làm việc|quá trình làm việc|kinh nghiệm chuyên môn""",
    EDUCATION: """
        education|academic background|academic history|qualifications|education and training
        |educational background|academics|studies|schooling|education & training
        |ausbildung|bildung|bildungsweg|schulbildung|studium|akademischer werdegang
        |formation|formations|éducation|études|parcours académique|diplômes
        |educación|formación|formación académica|estudios|educación y formación
        |educação|formação|formação acadêmica|formação académica|escolaridade
        |istruzione|formazione|opleiding|opleidingen|wykształcenie|edukacja
        |образование|учёба|учеба|освіта
        |教育背景|教育经历|教育|学历|學歷|教育經歷|学歴
        |학력|학력사항|학력 사항|교육
        |học vấn|trình độ học vấn|giáo dục|quá trình học tập|đào tạo""",
    SKILLS: """
        skills|technical skills|core skills|key skills|skill set|skillset|competencies
        |core competencies|expertise|technologies|tech stack|technical expertise|tools
        |skills and tools|skills & tools|programming languages|abilities|strengths
        |kenntnisse|fähigkeiten|fachkenntnisse|kompetenzen|it-kenntnisse|skills und kenntnisse
        |compétences|compétences techniques|savoir-faire
        |habilidades|competencias|conocimientos|aptitudes|habilidades técnicas
        |competências|habilidades e competências|conhecimentos|competenze|vaardigheden
        |umiejętności|навыки|ключевые навыки|технические навыки|умения|навички
        |专业技能|技能|技能特长|技术栈|專業技能|スキル|기술|보유 기술|기술 스택|역량
        |kỹ năng|kĩ năng|kỹ năng chuyên môn""",
    PROJECTS: """
        projects|personal projects|selected projects|key projects|side projects|open source
        |projekte|projets|proyectos|projetos|progetti|projecten|projekty|проекты
        |项目经历|项目经验|项目|專案經歷|프로젝트|dự án""",
    CERTIFICATIONS: """
        certifications|certificates|certification|licenses|licenses and certifications
        |licenses & certifications|courses|trainings|training
        |zertifikate|zertifizierungen|weiterbildung|certificats|certificaciones|certificados
        |cursos|certificações|certificazioni|certificaten|certyfikaty|сертификаты|курсы
        |证书|资格证书|證照|자격증|chứng chỉ""",
    LANGUAGES: """
        languages|language skills|sprachen|sprachkenntnisse|langues|idiomas|línguas
        |lingue|talen|języki|языки|знание языков|语言|語言|语言能力|언어|외국어|ngôn ngữ
        |ngoại ngữ""",
    REFERENCES: """
        references|referees|reference|professional references
        |referenzen|références|referencias|referências|referenze|referenties|referencje
        |рекомендации|рекомендатели|推荐人|證明人|证明人|추천인|người tham khảo|tham khảo""",
    CONTACT: """
        contact|contacts|contact information|contact info|contact details|personal information
        |personal details|personal data|kontakt|kontaktdaten|persönliche daten|coordonnées
        |informations personnelles|contacto|datos personales|información de contacto|contato
        |dados pessoais|informações pessoais|contatti|dati personali|contactgegevens|dane osobowe
        |контакты|контактная информация|личная информация|联系方式|個人資料|个人信息|联系信息
        |연락처|인적사항|개인 정보|liên hệ|thông tin liên hệ|thông tin cá nhân""",
    SUMMARY: """
        summary|profile|professional summary|about|about me|background|objective
        |career objective|overview
        |personal statement|introduction|professional profile|summary of qualifications
        |profil|über mich|kurzprofil|zusammenfassung|à propos|résumé|objectif
        |perfil|resumen|sobre mí|acerca de mí|objetivo|resumo|sobre mim|perfil profissional
        |profilo|chi sono|profiel|over mij|podsumowanie|o mnie|о себе|обо мне|резюме|цель
        |个人简介|自我评价|个人总结|自我介紹|简介|자기소개|소개|요약|giới thiệu|mục tiêu nghề nghiệp
        |tóm tắt|giới thiệu bản thân""",
    OTHER: """
        interests|hobbies|awards|honors|honours|achievements|publications|volunteer
        |volunteering|volunteer experience|activities|extracurricular activities|memberships
        |interessen|hobbys|auszeichnungen|ehrenamt|publikationen|centres d'intérêt|loisirs
        |distinctions|publications|intereses|premios|logros|voluntariado|interesses|prêmios
        |hobby|premi|interesse|zainteresowania|интересы|хобби|награды|достижения|публикации
        |兴趣爱好|获奖经历|荣誉|获奖|興趣|수상|수상 경력|취미|sở thích|giải thưởng|hoạt động""",
}
_KIND: dict[str, str] = {
    " ".join(phrase.replace("&", " and ").split()): kind
    for kind, block in _PHRASES.items()
    for phrase in block.replace("\n", " ").split("|")
    if phrase.strip()
}
_DECORATION = re.compile(r"^[\W\d_]+|[\W_]+$")  # numbering in front, punctuation at the end
_SPACED = re.compile(r"^(?:\w ){2,}\w$")
_MAX_CHARS = 40


def heading_kind(text: str) -> str | None:
    """The section kind of a heading line, or None when the line is not a heading."""
    line = " ".join(text.split())
    if not line or len(line) > _MAX_CHARS * 2:
        return None
    if _SPACED.match(line):  # "E X P E R I E N C E"
        line = line.replace(" ", "")
    line = " ".join(_DECORATION.sub("", line.replace("&", " and ")).casefold().split())
    if len(line) > _MAX_CHARS:
        return None
    return _KIND.get(line)
