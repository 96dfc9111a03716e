# Textes français de l’interface (vouvoiement, typographie suisse/française). Les identifiants
# des messages et leur rôle sont décrits dans en.ftl ; les variables comme `{ $code }` restent telles quelles.

## Ui

skip-to-content = Aller au contenu
nav-label = Navigation principale
home = Accueil
answers = Réponses
certifications = Certifications
breadcrumb = Fil d’Ariane
published = Publié le
last-reviewed = Relu le
by = Par
related-information = Informations associées
expert-insight = L’avis de l’expert
about-the-author = À propos de l’auteur
topics = Thèmes
related-answers = Réponses associées
course = Cours
courses = Cours
latest-answers = Dernières réponses
all-answers = Toutes les réponses
catalog = Catalogue des certifications
not-found-title = Page introuvable
not-found-text = Nous n’avons pas trouvé cette page. Elle a peut-être été déplacée, ou l’adresse contient une faute de frappe.
bad-request-title = Requête invalide
server-error-title = Une erreur s’est produite
unavailable-title = Veuillez réessayer dans un instant
too-many-title = Trop de requêtes
too-large-title = Trop de données
server-error-text = Le serveur n’a pas pu traiter la requête. Veuillez réessayer dans un instant.
previous = Précédent
next = Suivant
page = Page
filter = Filtrer
vendor = Éditeur
level = Niveau
status = Statut
any = Tous
apply = Appliquer
topic = Thème
no-results = Aucun résultat pour ces filtres.
code = Examen
title = Titre
credential = Titre obtenu
scope = Périmètre
exam-length = Durée de l’examen
minutes = minutes
skills-measured = Compétences évaluées
domain = Domaine
weight = Pondération
technologies = Technologies
roles = Rôles
prerequisites = Prérequis
prerequisites-any = L’une de ces certifications suffit comme prérequis.
none = Aucun
lifecycle = Cycle de vie
successor = Successeur
sources = Sources
checked-on = vérifié le
unconfirmed = non confirmé
unconfirmed-note = Les faits marqués non confirmés proviennent de sources qui se contredisent ou qui n’ont pas pu être vérifiées sur les pages officielles de l’éditeur.
answers-about = Réponses sur
duration = Durée
days = jours
price = Prix
delivery = Format
sessions = Sessions
no-sessions = Aucune session n’est prévue pour le moment.
starts-on = Début
location = Lieu
language = Langue
seats = Places
prepares-for = Prépare à
credentials = Qualifications
written-answers = Réponses
footer-note = Les faits proviennent du catalogue des certifications, avec leurs sources et leurs dates de vérification.
forbidden-title = Requête refusée
cookie-settings = Paramètres des cookies
consent-title = Cookies sur ce site
consent-text = Nous utilisons les cookies nécessaires au fonctionnement de ce site. Avec votre consentement, nous utilisons aussi des cookies pour mémoriser vos préférences, compter les visites et à des fins de marketing. Rien d’autre que le nécessaire n’est chargé avant votre choix, et vous pouvez le modifier à tout moment sous Paramètres des cookies.
consent-changed = Notre politique en matière de cookies a changé depuis votre dernier choix ; nous vous reposons donc la question. Version en vigueur :
accept-all = Tout accepter
reject-all = Tout refuser
customize = Personnaliser
save-choices = Enregistrer mes choix
withdraw = Retirer mon consentement
close = Fermer
saved = Vos choix sont enregistrés.
back = Retour à la page que vous lisiez
consent-necessary = Nécessaires
consent-necessary-text = Toujours actifs. Ces cookies font fonctionner le site et mémorisent votre choix en matière de cookies ; ils ne servent jamais au suivi et ne peuvent pas être désactivés.
consent-cookie-purpose = Mémorise votre choix en matière de cookies, avec une signature qui empêche de le modifier
session-cookie-purpose = Garde le personnel connecté à l’espace de rédaction ; posé uniquement lors de la connexion à cet espace
session-cookie-lifetime = 12 heures au plus
consent-preferences = Préférences
consent-preferences-text = Mémoriser des réglages comme votre langue, pour que vous n’ayez pas à les redéfinir.
consent-analytics = Statistiques
consent-analytics-text = Compter les visites et voir quelles réponses sont utiles, afin de les améliorer.
consent-marketing = Marketing
consent-marketing-text = Mesurer nos campagnes et vous présenter ailleurs des offres de cours pertinentes.
consent-allow = Autoriser
consent-no-services = Aucun service n’utilise cette catégorie pour le moment.
consent-needs-script = Sur cette copie du site, votre navigateur enregistre vos choix avec JavaScript. Sans JavaScript, aucun service facultatif n’est chargé : il n’y a donc rien à choisir.
consent-storage-purpose = Mémorise votre choix de cookies dans ce navigateur (stockage local, pas un cookie) ; n’est jamais envoyé chez nous
consent-gpc = Votre navigateur envoie un signal Global Privacy Control. Nous le traitons comme un refus de tout ce qui dépasse le nécessaire, sauf si vous en décidez autrement ici.
consent-current = Votre choix actuel
consent-granted = autorisé
consent-not-granted = non autorisé
service = Service
purpose = Finalité
cookies = Cookies
lifetime = Durée de conservation
third-party-host = Hôte tiers
first-party = aucun (servi par ce site)
gone-title = Plus disponible
ask-about-course = Se renseigner sur ce cours
request-place = Demander une place
next-sessions = Prochaines sessions
taught-by = Animé par
price-note = Remarque sur le prix
inquiry-title = Se renseigner sur ce cours
inquiry-intro = Envoyez-nous votre question ou demandez une place ; nous répondons par e-mail, en général sous deux jours ouvrables.
your-name = Votre nom
your-email = E-mail
your-company = Entreprise (facultatif)
your-message = Message (facultatif)
session = Session
any-session = Pas de session particulière
inquiry-agree = Vous pouvez me contacter au sujet de cette demande.
inquiry-privacy = Ce que nous conservons de votre demande, et pendant combien de temps, est décrit dans notre
send-inquiry = Envoyer
thanks-title = Merci
thanks-text = Votre demande nous est bien parvenue. Nous répondons par e-mail, en général sous deux jours ouvrables.
back-to-course = Retour au cours
inquiry-problems = Veuillez vérifier les champs signalés ci-dessous.
problem-missing = Veuillez remplir ce champ.
problem-email = Veuillez saisir une adresse e-mail comme nom@example.com.
problem-control = Une seule ligne, sans caractères spéciaux, s’il vous plaît.
problem-session = Cette session n’est plus ouverte aux demandes. Veuillez en choisir une autre, ou aucune.
problem-agree = Veuillez cocher cette case pour que nous puissions vous répondre.
has-upcoming = Seulement les cours avec des sessions à venir
website-trap = Laissez ce champ vide
home-title = Des réponses vérifiables sur les certifications
site-purpose = Des réponses claires sur les examens de certification IT — lequel correspond à votre rôle, ce qui a changé et quel cours vous y prépare —, chaque fait étant sourcé et daté.
browse-catalog = Parcourir le catalogue
retiring-soon = Bientôt retirés
retiring-soon-text = Ces examens seront bientôt retirés. Passez l’examen avant la date, ou prévoyez son successeur.
families = Certifications par éditeur et par niveau
topics-text = Tous les sujets couverts par nos réponses, avec les réponses et les certifications de chacun.
courses-text = Des cours avec formateur qui préparent aux certifications de notre catalogue.
imprint = Mentions légales
privacy = Confidentialité
about = À propos
contact = Contact
aspect = Critère
compare-jump = Comparer les certifications côte à côte
notice-retiring = Examen bientôt retiré
notice-retired = Examen retiré
notice-stale = Des faits ont changé depuis la rédaction de cette réponse
successor-is = Son successeur est
consent-short = Les cookies nécessaires font fonctionner le site ; les autres, seulement avec votre accord.
privacy-notice = Politique de confidentialité
site-nav = Site

## Decide : la comparaison, le conseiller et le planificateur d’équipe

decide-compare = Comparer
decide-compare-title = Comparatif
decide-and-word = et
decide-compare-side-by-side = Comparer côte à côte
decide-compare-with = Comparer avec
decide-compare-with-note = Examens souvent mis en balance avec celui-ci :
decide-at-a-glance = En un coup d’œil
decide-skills-chart = Ce que mesure chaque examen
decide-skills-chart-note = Chaque barre est un domaine de compétences : la partie foncée indique sa pondération la plus basse, la partie claire l’écart jusqu’à la plus haute.
decide-as-table = Les mêmes chiffres sous forme de tableau
decide-weight-range = Pondération
decide-exam = Examen
decide-coverage-heading = Part de chaque examen consacrée à chaque tâche
decide-coverage-note = Une tâche est considérée comme couverte quand au moins 10 % de l’examen y est consacré.
decide-responsibility = Tâche
decide-covered = couverte
decide-shared-technologies = Technologies communes à tous
decide-only-in = Uniquement dans
decide-nothing-shared = Aucune en commun.
decide-order-heading = Prérequis et ordre de passage
decide-order-note = D’abord les prérequis, puis les niveaux inférieurs avant les supérieurs.
decide-needs-one-of = à passer d’abord :
decide-no-domains = Le catalogue n’a pas encore de plan des compétences pour cet examen.
decide-course-and-price = Cours
decide-no-course = Pas encore de cours
decide-advisor = Conseiller
decide-decide-heading = Trouver le bon examen
decide-advisor-title = Quelle certification correspond à votre rôle ?
decide-advisor-lead = Dites-nous ce que comprend votre poste, et dans quelle mesure. Nous classons les examens selon la part de chacun consacrée à votre travail, et vous proposons un parcours avec nos cours.
decide-advisor-teaser = Vous hésitez entre plusieurs examens ? Décrivez votre poste au conseiller.
decide-your-responsibilities = Ce que comprend votre poste
decide-emphasis-none = Pas dans mon poste
decide-emphasis-1 = Une petite part
decide-emphasis-2 = Une part régulière
decide-emphasis-3 = Une part essentielle
decide-held-heading = Certifications que vous détenez
decide-held-note = Elles sont exclues de votre parcours et comptent pour ses prérequis.
decide-show-advice = Voir ma recommandation
decide-ranked-heading = Examens classés pour votre rôle
decide-score = Adéquation
decide-path-heading = Votre parcours
decide-path-note = D’abord les prérequis, puis les niveaux inférieurs avant les supérieurs. Chaque étape avec le cours qui y prépare.
decide-step-prerequisite-of = Prérequis pour
decide-step-replaces = Remplace
decide-step-retiring = Retrait le
decide-no-successor = a été retiré et n’a pas de successeur dans le catalogue.
decide-uncovered = Aucun examen du catalogue ne couvre :
decide-total-days = Jours de formation au total
decide-total-price = Prix total
decide-without-course = Pas encore de cours pour
decide-nothing-fits = Aucun examen du catalogue n’évalue ces tâches.
decide-pick-one = Choisissez au moins une tâche, puis affichez votre recommandation.
decide-unknown-inputs = Certains choix du lien ne figurent pas dans le catalogue et ont été ignorés :
decide-share-link = L’adresse de cette page conserve vos choix : partagez-la ou ajoutez-la à vos favoris.
decide-change-choices = Modifier vos choix
decide-planner = Planificateur d’équipe
decide-planner-title = Planifiez la formation de votre équipe
decide-planner-lead = Collez ou importez la liste de vos collaborateurs avec leurs tâches. Vous obtenez le parcours de chaque personne, les incohérences des examens déjà attribués, ainsi que les jours et le budget de l’équipe.
decide-planner-teaser = Vous formez une équipe ? Planifiez tous les parcours d’un coup.
decide-csv-label = Votre équipe en CSV
decide-csv-help = Une ligne par personne avec les colonnes name, responsibilities (tâches), held (certifications détenues, facultatif) et assigned (examens attribués, facultatif). Séparez les éléments d’une liste par | (ou par ; si les colonnes sont séparées par des virgules). Un identifiant peut être suivi d’une pondération de 1 à 3 : device-fleet:3.
decide-file-label = Ou importez un fichier CSV (UTF-8)
decide-plan-button = Planifier la formation
decide-example = Exemple
decide-responsibility-ids = Identifiants des tâches
decide-team-heading = L’équipe
decide-people = Personnes
decide-people-per-course = Cours et places
decide-ask-places = Demander des places pour
decide-person = Par personne
decide-assigned = Attribué
decide-mismatches = Incohérences
decide-no-mismatch = L’examen attribué convient.
decide-mismatch-coverage = Peu lié au travail
decide-mismatch-prerequisite = Prérequis manquant
decide-mismatch-lifecycle = Retrait prévu ou effectué
decide-rows-skipped = Lignes qui n’ont pas pu être planifiées
decide-line = Ligne
decide-download-csv = Télécharger le plan en CSV
decide-print = Imprimer
decide-names-not-kept = Les noms ne servent qu’à cette réponse : ils ne sont jamais enregistrés ni journalisés.
decide-plan-again = Modifier la liste

## Textes avec arguments (méthodes de `Lang`)

# Lang::days, Lang::answers_count
days-count = { $n ->
    [one] { $n } jour
   *[other] { $n } jours
}
answers-count = { $n ->
    [one] { $n } réponse
   *[other] { $n } réponses
}

# Les lignes du tableau « Informations associées » (Lang::aspect)
aspect-scope = Périmètre
aspect-course = Cours
aspect-technologies = Technologies
aspect-lifecycle = Cycle de vie
aspect-choose = À choisir si

# Un côté d’une ligne des informations associées (Lang::fact)
fact-scope = { $scope } (périmètre)
fact-course = { $days ->
    [1] cours d’un jour, { $price }
   *[other] cours de { $days } jours, { $price }
}
fact-no-course = aucun cours proposé
fact-choose = Choisissez { $code } si : { $when }

# Lang::lifecycle
lifecycle-beta = bêta
lifecycle-active = actif
lifecycle-retiring = retrait le { $date }
lifecycle-retiring-successor = retrait le { $date }, successeur { $successor }
lifecycle-retired-on = retiré le { $date }
lifecycle-retired-on-successor = retiré le { $date }, successeur { $successor }
lifecycle-retired = retiré
lifecycle-retired-successor = retiré, successeur { $successor }

# Lang::retirement : l’avis sur les pages d’un examen bientôt retiré ou retiré
retirement-tomorrow = { $code } sera retiré demain, le { $date }.
retirement-in-days = { $code } sera retiré dans { $days } jours, le { $date }.
retirement-on = { $code } sera retiré le { $date }.
retired-on = { $code } a été retiré le { $date }.
retired-undated = { $code } est retiré.

# Lang::stale : pourquoi une réponse peut être dépassée
stale-retired = Rédigé avant le retrait de { $code } le { $date } : { stale-tail }
stale-status = Rédigé avant que le statut de { $code } passe de « { $from } » à « { $to } » le { $date } : { stale-tail }
stale-retires-on-set = Rédigé avant que { $code } reçoive une date de retrait, le { $to }, annoncée le { $date } : { stale-tail }
stale-retires-on-moved = Rédigé avant que la date de retrait de { $code } passe du { $from } au { $to } le { $date } : { stale-tail }
stale-retires-on-removed = Rédigé avant l’annulation de la date de retrait de { $code } le { $date } : { stale-tail }
stale-successor = Rédigé avant que { $to } soit désigné successeur de { $code } le { $date } : { stale-tail }
stale-successor-removed = Rédigé avant l’annulation du successeur de { $code } le { $date } : { stale-tail }
stale-domains = Rédigé avant la modification des compétences évaluées par { $code } le { $date } : { stale-tail }
stale-course-price = Rédigé avant que le prix d’un cours { $code } passe de { $from } à { $to } le { $date } : { stale-tail }
stale-course-duration = Rédigé avant que la durée d’un cours { $code } passe de { $from } à { $to } { $to ->
        [one] jour
       *[other] jours
    } le { $date } : { stale-tail }
stale-tail = les faits de cette page sont à jour, certaines parties du texte peut-être pas.

# Lang::level (les niveaux de Microsoft restent en anglais)
level-fundamentals = Fundamentals
level-associate = Associate
level-professional = Professional
level-expert = Expert
level-specialty = Specialty

# Lang::delivery
delivery-classroom = Présentiel
delivery-virtual = Classe virtuelle
delivery-self-paced = Autoformation

# Lang::language_name : les langues des sessions
language-en = Anglais
language-de = Allemand
language-fr = Français
language-it = Italien

# Lang::explain : pourquoi un examen convient à un lecteur
explain-covers-one = il couvre votre seule tâche
explain-covers-none = il ne couvre pas votre tâche
explain-covers = il couvre { $covered } de vos { $of } tâches
explain-weighted-highest = la tâche que vous avez le plus pondérée
explain-rated = une tâche que vous avez marquée « { $emphasis } »
explain-focus = { $percent } % de l’examen porte sur « { $responsibility } », { $weighted } ; { $coverage }.
explain-nothing = Aucune partie de l’examen ne porte sur les tâches que vous avez choisies.

# Lang::places_message : le début d’une demande de places pour une équipe
places-message = { $people ->
    [one] Nous souhaitons une place pour { $people } personne.
   *[other] Nous souhaitons des places pour { $people } personnes.
}

# Lang::mismatch : une incohérence d’un examen attribué
mismatch-coverage = { $assigned } correspond aux tâches de cette personne à { $score } sur 100 ; { $better } y correspond à { $better_score } sur 100 et couvre davantage son travail.
mismatch-prerequisite-one = { $assigned } exige d’abord { $code }, que cette personne ne détient pas.
mismatch-prerequisite-many = { $assigned } exige d’abord l’un de ces examens : { $codes }, et cette personne n’en détient aucun.
mismatch-prerequisite-one-unconfirmed = { $assigned } exige d’abord { $code }, que cette personne ne détient pas (prérequis non confirmé).
mismatch-prerequisite-many-unconfirmed = { $assigned } exige d’abord l’un de ces examens : { $codes }, et cette personne n’en détient aucun (prérequis non confirmé).
mismatch-retiring = { $assigned } sera retiré le { $date }, dans { $days }.
mismatch-retiring-successor = { $assigned } sera retiré le { $date }, dans { $days } ; son successeur est { $successor }.
mismatch-retired = { $assigned } a été retiré.
mismatch-retired-on = { $assigned } a été retiré le { $date }.
mismatch-retired-successor = { $assigned } a été retiré ; son successeur est { $successor }.
mismatch-retired-on-successor = { $assigned } a été retiré le { $date } ; son successeur est { $successor }.

## Avis des formulaires

problem-too-long = Veuillez vous limiter à { $max } caractères.
notice-form-expired = Ce formulaire a expiré ou ne provient pas de ce site ; rien n’a été envoyé. Votre texte est conservé ci-dessous : veuillez l’envoyer à nouveau.
notice-inquiry-unsaved = Nous n’avons pas pu enregistrer votre demande pour le moment (notre base de données est occupée ou pleine) ; rien n’a été envoyé. Votre texte est conservé ci-dessous : veuillez l’envoyer à nouveau dans un instant.
notice-inquiry-rate = Trop de demandes depuis votre adresse en une minute ; la vôtre n’a pas été envoyée. Veuillez l’envoyer à nouveau dans { $seconds } secondes — votre texte est conservé ci-dessous.
notice-plan-rate = Trop de plans depuis votre adresse en une minute ; veuillez envoyer la liste à nouveau dans { $seconds } secondes — elle est conservée ci-dessous.

## The language switcher

language-switcher = Langue

## Recherche : le champ de l’en-tête, la page de recherche et ses erreurs

search-search = Recherche
search-label = Rechercher des réponses, examens et cours
search-button = Rechercher
search-title = Recherche
search-results-for = Résultats de recherche pour
search-lead = Recherchez parmi les réponses, certifications, cours et thèmes. Les codes d’examen sont trouvés quelle que soit leur écriture (md102, MD 102, md-102).
search-kind = Afficher
search-answers = Réponses
search-certifications = Certifications
search-courses = Cours
search-topics = Thèmes
search-nothing = Rien ne correspond à votre recherche. Vérifiez l’orthographe, utilisez moins de mots ou partez de l’une de ces pistes.
search-try-these = Parcourir par thème
search-latest-answers = Dernières réponses
search-suggestions = Suggestions
search-not-ready = La recherche démarre. Veuillez réessayer dans une seconde.
search-filters = Filtres
search-count = { $n ->
    [one] { $n } résultat
   *[other] { $n } résultats
}

## Le cycle de vie d’une certification en étiquette

status-beta = bêta
status-active = actif
status-retiring = bientôt retiré
status-retired = retiré

## Recherche : une requête trop longue
search-too-long = La recherche compte { $length } caractères ; au plus { $max } sont lus.
