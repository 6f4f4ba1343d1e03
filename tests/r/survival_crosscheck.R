# Independent re-computation of the survival chapters' numbers with R's survival package.
# Usage: Rscript survival_crosscheck.R cases.csv out.csv
# cases.csv is written by tests/test_r_crosscheck.py from spinemets.data.load(); out.csv gets one
# "key,value" row per number, which the test compares with lifelines / spinemets.survival.
suppressPackageStartupMessages(library(survival))
args <- commandArgs(trailingOnly = TRUE)
cases <- read.csv(args[1])
out <- list()
put <- function(key, value) out[[key]] <<- as.numeric(value)

# Kaplan-Meier estimates and medians (R's quantile rule: midpoint of a plateau at exactly 0.5;
# interval: inversion of the default log-transformed pointwise band).
endpoints <- list(dss = c("dss_months", "dss_event"), drfs = c("drfs_months", "drfs_event"),
                  lr = c("lr_months", "lr_event"))
for (name in names(endpoints)) {
  cols <- endpoints[[name]]
  fit <- survfit(Surv(cases[[cols[1]]], cases[[cols[2]]] == "True") ~ 1)
  for (t in c(12, 24, 36, 60, 120)) put(sprintf("%s_S_%d", name, t), summary(fit, times = t, extend = TRUE)$surv)
  q <- quantile(fit, probs = 0.5)
  put(sprintf("%s_median", name), q$quantile)
  put(sprintf("%s_median_lower", name), q$lower)
  put(sprintf("%s_median_upper", name), q$upper)
  # Restricted mean survival time and its standard error
  for (h in c(60, 120)) {
    table <- summary(fit, rmean = h)$table
    put(sprintf("%s_rmst_%d", name, h), table[["rmean"]])
    put(sprintf("%s_rmst_se_%d", name, h), table[["se(rmean)"]])
  }
}

margin <- cases$margin_positive == "True"
drfs_time <- cases$drfs_months
drfs_event <- cases$drfs_event == "True"
put("logrank_drfs_margin_p", survdiff(Surv(drfs_time, drfs_event) ~ margin)$pvalue)
cox <- coxph(Surv(drfs_time, drfs_event) ~ margin)
put("cox_drfs_margin_hr", exp(coef(cox))[[1]])
put("cox_drfs_margin_lower", exp(confint(cox))[1, 1])
put("cox_drfs_margin_upper", exp(confint(cox))[1, 2])
year5 <- cases$year / 5
cox_year <- coxph(Surv(drfs_time, drfs_event) ~ year5)
put("cox_drfs_year5_hr", exp(coef(cox_year))[[1]])
put("cox_drfs_year5_lower", exp(confint(cox_year))[1, 1])
put("cox_drfs_year5_upper", exp(confint(cox_year))[1, 2])

# Reverse Kaplan-Meier median follow-up: censoring is the event
reverse <- survfit(Surv(cases$dss_months, cases$dss_event != "True") ~ 1)
put("reverse_km_median", quantile(reverse, probs = 0.5)$quantile)
reverse_all <- survfit(Surv(cases$dss_months, cases$death_any != "True") ~ 1)
put("reverse_km_median_all_deaths", quantile(reverse_all, probs = 0.5)$quantile)

# Aalen-Johansen cumulative incidence with death as a competing event
for (name in c("lr", "drfs")) {
  cols <- endpoints[[name]]
  state <- ifelse(cases[[cols[2]]] == "True", 1, ifelse(cases$death_any == "True", 2, 0))
  state <- factor(state, levels = 0:2, labels = c("censored", "event", "death"))
  aj <- survfit(Surv(cases[[cols[1]]], state) ~ 1)
  for (t in c(24, 60, 120)) {
    s <- summary(aj, times = t, extend = TRUE)
    put(sprintf("%s_cif_%d", name, t), s$pstate[1, which(aj$states == "event")])
  }
}

write.csv(data.frame(key = names(out), value = unlist(out)), args[2], row.names = FALSE)
